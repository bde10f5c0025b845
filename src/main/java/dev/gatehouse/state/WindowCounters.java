package dev.gatehouse.state;

import java.time.Duration;
import java.util.List;

/**
 * Counts events against several limits at once, atomically: a request is either counted in every window
 * or, when any window is full, in none. Windows are aligned to the epoch (a 60 s window runs from one
 * whole minute to the next), so every node agrees on when one resets, and at most {@code limit} events
 * are ever counted in one window, whichever node counts them. Redis holds the counts for several nodes
 * ({@link RedisWindowCounters}, one round trip per request); one node counts in process.
 */
public interface WindowCounters {

    /** At most {@code limit} events per {@code length}. */
    record Limit(String name, long limit, Duration length) {
        public Limit {
            if (limit < 1 || length.toMillis() < 1000 || length.toMillis() % 1000 != 0) {
                throw new IllegalArgumentException("a limit needs at least 1 event per whole number of seconds");
            }
        }

        long windowIndex(long nowMillis) {
            return Math.floorDiv(nowMillis, length.toMillis());
        }

        long resetAtMillis(long nowMillis) {
            return (windowIndex(nowMillis) + 1) * length.toMillis();
        }
    }

    /** One limit after the request: how much of it is used and when its window ends. */
    record Standing(Limit limit, long used, long resetAtMillis) {
        public long remaining() {
            return Math.max(0, limit.limit() - used);
        }

        public boolean full() {
            return used >= limit.limit();
        }
    }

    /** Whether the event was counted, and every limit's standing afterwards (in the order asked). */
    record Decision(boolean allowed, List<Standing> standings) {
    }

    /** Counts one event for {@code subject} in each limit's current window, if none of them is full. */
    Decision acquire(String subject, List<Limit> limits, long nowMillis);

    /**
     * Gives back one event counted by {@link #acquire} in each limit's current window (never below 0): an
     * attempt counted before it was judged, that turned out not to count (a right password).
     */
    void release(String subject, List<Limit> limits, long nowMillis);
}
