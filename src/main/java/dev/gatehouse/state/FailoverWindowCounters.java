package dev.gatehouse.state;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * Redis's counts while Redis answers; this node's own counts while it does not ({@link Failover}). While
 * counting locally, each node enforces the limits on its own share of the traffic, so a caller spread over
 * N nodes may get up to N times a limit: the metric {@code gatehouse_ratelimit_shared} says so.
 */
public final class FailoverWindowCounters implements WindowCounters {
    private final WindowCounters shared;
    private final WindowCounters local;
    private final Failover failover;

    public FailoverWindowCounters(WindowCounters shared, WindowCounters local, MeterRegistry meters) {
        this.shared = shared;
        this.local = local;
        this.failover = new Failover("gatehouse.ratelimit", "Rate limits", meters);
    }

    Failover failover() {
        return failover;
    }

    WindowCounters shared() {
        return shared;
    }

    WindowCounters local() {
        return local;
    }

    @Override
    public Decision acquire(String subject, List<Limit> limits, long nowMillis) {
        return failover.call(() -> shared.acquire(subject, limits, nowMillis), () -> local.acquire(subject, limits, nowMillis));
    }

    @Override
    public void release(String subject, List<Limit> limits, long nowMillis) {
        failover.call(() -> {
            shared.release(subject, limits, nowMillis);
            return null;
        }, () -> {
            local.release(subject, limits, nowMillis);
            return null;
        });
    }
}
