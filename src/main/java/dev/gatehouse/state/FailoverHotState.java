package dev.gatehouse.state;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/**
 * Redis's counters while Redis answers; this node's own while it does not ({@link Failover}), so sign-in
 * throttling and registration limits never fail a request because Redis is gone. Counting alone, a node
 * sees only its own share of the attempts: a guesser spread over N nodes gets up to N times the limit
 * while the outage lasts ({@code gatehouse_hotstate_shared} says so).
 */
public final class FailoverHotState implements HotState {
    private final HotState shared;
    private final HotState local;
    private final Failover failover;

    public FailoverHotState(HotState shared, HotState local, MeterRegistry meters) {
        this.shared = shared;
        this.local = local;
        this.failover = new Failover("gatehouse.hotstate", "Counters (sign-in throttle, registration limits)", meters);
    }

    @Override
    public WindowCount count(String key, Duration window) {
        return failover.call(() -> shared.count(key, window), () -> local.count(key, window));
    }

    @Override
    public WindowCount peek(String key) {
        return failover.call(() -> shared.peek(key), () -> local.peek(key));
    }

    @Override
    public void mark(String key, Duration ttl) {
        failover.call(() -> {
            shared.mark(key, ttl);
            return null;
        }, () -> {
            local.mark(key, ttl);
            return null;
        });
    }

    @Override
    public boolean marked(String key) {
        return failover.call(() -> shared.marked(key), () -> local.marked(key));
    }

    @Override
    public boolean markedInShared(String key) {
        return shared.marked(key);
    }

    @Override
    public void clear(String key) {
        failover.call(() -> {
            shared.clear(key);
            return null;
        }, () -> {
            local.clear(key);
            return null;
        });
    }

    /** Asks Redis itself, never this node's stand-in. */
    @Override
    public boolean reachable() {
        try {
            shared.peek("health");
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public String mode() {
        return shared.mode();
    }
}
