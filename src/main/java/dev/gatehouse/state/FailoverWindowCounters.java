package dev.gatehouse.state;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Redis's counts while Redis answers; this node's own counts while it does not, so a Redis outage never
 * fails a request. After a failure, Redis is tried again only after a pause: a dead Redis must not cost
 * every request a failed round trip. While counting locally, each node enforces the limits on its own
 * share of the traffic, so a caller spread over N nodes may get up to N times a limit: the metric says so.
 */
public final class FailoverWindowCounters implements WindowCounters {
    private static final Logger LOG = Logger.getLogger(FailoverWindowCounters.class);
    private static final long RETRY_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final WindowCounters shared;
    private final WindowCounters local;
    private final Counter localCounts;
    private volatile long localUntilNanos;
    private volatile boolean usingLocal;

    public FailoverWindowCounters(WindowCounters shared, WindowCounters local, MeterRegistry meters) {
        this.shared = shared;
        this.local = local;
        this.localCounts = Counter.builder("gatehouse.ratelimit.local")
                .description("Rate-limit counts made on this node alone because Redis did not answer")
                .register(meters);
        Gauge.builder("gatehouse.ratelimit.shared", this, counters -> counters.usingLocal ? 0 : 1)
                .description("1 while rate limits are counted in Redis for every node; 0 while this node counts alone")
                .register(meters);
    }

    @Override
    public Decision acquire(String subject, List<Limit> limits, long nowMillis) {
        if (!usingLocal || System.nanoTime() - localUntilNanos >= 0) {
            try {
                Decision decision = shared.acquire(subject, limits, nowMillis);
                if (usingLocal) {
                    usingLocal = false;
                    LOG.info("Rate limits: Redis answers again; counting there for every node");
                }
                return decision;
            } catch (RuntimeException e) {
                if (!usingLocal) {
                    LOG.warnf("Rate limits: Redis did not answer (%s); this node counts on its own until it does",
                            e.getClass().getSimpleName());
                }
                usingLocal = true;
                localUntilNanos = System.nanoTime() + RETRY_AFTER_NANOS;
            }
        }
        localCounts.increment();
        return local.acquire(subject, limits, nowMillis);
    }
}
