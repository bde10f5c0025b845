package dev.gatehouse.state;

import java.time.Duration;

/**
 * The state several Gatehouse nodes must share: short-lived counters. (Token changes reach other nodes
 * through PostgreSQL, see {@code RevocationBroadcast}, so a Redis outage never delays a revocation.) Redis holds it
 * when configured ({@link RedisHotState}); a single node keeps it in process ({@link InProcessHotState}).
 * Features use only this interface, so each exists once whatever the deployment.
 */
public interface HotState {

    /**
     * Counts one event in the fixed window named {@code key}. The window opens with its first event and
     * lasts {@code window}.
     */
    WindowCount count(String key, Duration window);

    /** The window named {@code key} as it stands, without counting. */
    WindowCount peek(String key);

    /** Forgets the window named {@code key}. */
    void clear(String key);

    /** Marks {@code key} as true for {@code ttl}, replacing an earlier mark and its ttl. */
    void mark(String key, Duration ttl);

    /** Whether {@code key} was marked and its ttl has not run out. */
    boolean marked(String key);

    /**
     * {@link #marked} as the shared store itself answers, never a node's stand-in for it: throws when the
     * shared store cannot be asked. A node's own state is the shared state of a deployment of one.
     */
    default boolean markedInShared(String key) {
        return marked(key);
    }

    /** Which implementation runs, for health and logs. */
    String mode();

    /** Whether the shared store answers now (always, for a node's own state). For health checks. */
    default boolean reachable() {
        return true;
    }

    /** Events counted so far in a window, and how long until it closes. */
    record WindowCount(long count, Duration remaining) {
        public static final WindowCount EMPTY = new WindowCount(0, Duration.ZERO);
    }
}
