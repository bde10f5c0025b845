package dev.gatehouse.state;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Redis while it answers, this node's own state while it does not, so a Redis outage never fails a
 * request. After a failure Redis is tried again only after a pause: a dead Redis must not cost every
 * request a failed round trip. Two meters say which is in use: {@code gatehouse_<what>_shared} (1 while
 * Redis counts for every node) and {@code gatehouse_<what>_local_total} (calls answered locally).
 */
final class Failover {
    private static final Logger LOG = Logger.getLogger(Failover.class);
    private static final long RETRY_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String what;
    private final Counter localCalls;
    private volatile long localUntilNanos;
    private volatile boolean usingLocal;
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private volatile long lastWarnedNanos = System.nanoTime() - WARN_EVERY_NANOS;

    /** {@code meterName} is e.g. {@code gatehouse.ratelimit}; {@code what} names the state in the log. */
    Failover(String meterName, String what, MeterRegistry meters) {
        this.what = what;
        this.localCalls = Counter.builder(meterName + ".local")
                .description(what + ": calls answered on this node alone because Redis did not answer")
                .register(meters);
        Gauge.builder(meterName + ".shared", this, failover -> failover.usingLocal ? 0 : 1)
                .description(what + ": 1 while kept in Redis for every node; 0 while this node keeps its own")
                .register(meters);
    }

    <T> T call(Supplier<T> shared, Supplier<T> local) {
        if (useShared()) {
            try {
                T answer = shared.get();
                answered();
                return answer;
            } catch (RuntimeException e) {
                failed(e);
            }
        }
        countLocal();
        return local.get();
    }

    /** Whether to ask Redis now: it answered last time, or the pause after its failure is over. */
    boolean useShared() {
        return !usingLocal || System.nanoTime() - localUntilNanos >= 0;
    }

    /** Redis answered. */
    void answered() {
        if (usingLocal) {
            usingLocal = false;
            LOG.infof("%s: Redis answers again; kept there for every node", what);
        }
    }

    /** Redis failed: this node keeps its own for a while. Said once a minute at most, however often it flaps. */
    void failed(RuntimeException e) {
        long now = System.nanoTime();
        if (!usingLocal && now - lastWarnedNanos >= WARN_EVERY_NANOS) {
            lastWarnedNanos = now;
            LOG.warnf("%s: Redis did not answer (%s); this node keeps its own until it does", what, e.getClass().getSimpleName());
        }
        usingLocal = true;
        localUntilNanos = System.nanoTime() + RETRY_AFTER_NANOS;
    }

    /** A call answered on this node alone. */
    void countLocal() {
        localCalls.increment();
    }

    boolean usingLocal() {
        return usingLocal;
    }
}
