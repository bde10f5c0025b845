package dev.gatehouse.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@link WindowCounters} for one node, and the fallback of a node whose Redis is down. */
public final class InProcessWindowCounters implements WindowCounters {
    /** Past this many subjects, those whose every window has closed are swept on the next count. */
    private static final int SWEEP_THRESHOLD = 50_000;
    private volatile long lastSweepMillis;

    /** A subject's counts: per limit length, the window index counted in and its count. */
    private static final class Counts {
        final Map<Long, long[]> byLength = new ConcurrentHashMap<>();
        volatile long lastResetAtMillis;
    }

    private final Map<String, Counts> subjects = new ConcurrentHashMap<>();

    @Override
    public Decision acquire(String subject, List<Limit> limits, long nowMillis) {
        // At most once a second: with that many live subjects a sweep frees little, and must not run on every count.
        if (subjects.size() > SWEEP_THRESHOLD && nowMillis - lastSweepMillis > 1000) {
            lastSweepMillis = nowMillis;
            subjects.values().removeIf(counts -> counts.lastResetAtMillis <= nowMillis);
        }
        Counts counts = subjects.computeIfAbsent(subject, s -> new Counts());
        synchronized (counts) {
            boolean allowed = true;
            for (Limit limit : limits) {
                if (current(counts, limit, nowMillis) >= limit.limit()) {
                    allowed = false;
                }
            }
            List<Standing> standings = new ArrayList<>(limits.size());
            for (Limit limit : limits) {
                long[] window = counts.byLength.computeIfAbsent(limit.length().toMillis(), l -> new long[] {Long.MIN_VALUE, 0});
                long index = limit.windowIndex(nowMillis);
                if (window[0] != index) {
                    window[0] = index;
                    window[1] = 0;
                }
                if (allowed) {
                    window[1]++;
                }
                long resetAt = limit.resetAtMillis(nowMillis);
                counts.lastResetAtMillis = Math.max(counts.lastResetAtMillis, resetAt);
                standings.add(new Standing(limit, window[1], resetAt));
            }
            return new Decision(allowed, standings);
        }
    }

    @Override
    public void release(String subject, List<Limit> limits, long nowMillis) {
        Counts counts = subjects.get(subject);
        if (counts == null) {
            return;
        }
        synchronized (counts) {
            for (Limit limit : limits) {
                long[] window = counts.byLength.get(limit.length().toMillis());
                if (window != null && window[0] == limit.windowIndex(nowMillis) && window[1] > 0) {
                    window[1]--;
                }
            }
        }
    }

    private static long current(Counts counts, Limit limit, long nowMillis) {
        long[] window = counts.byLength.get(limit.length().toMillis());
        return window == null || window[0] != limit.windowIndex(nowMillis) ? 0 : window[1];
    }
}
