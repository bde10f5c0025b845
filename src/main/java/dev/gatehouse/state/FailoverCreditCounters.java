package dev.gatehouse.state;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Redis's balances while Redis answers; this node's own while it does not ({@link Failover}), loaded again
 * from the store of record. While nodes charge on their own, each one sees the others' spending only as
 * it is written (every reconcile interval), so an outage can give away what several nodes spend in one
 * interval; what Redis held unwritten when it was lost is given away too (docs/credits.md).
 */
public final class FailoverCreditCounters implements CreditCounters {
    private static final Logger LOG = Logger.getLogger(FailoverCreditCounters.class);

    private final CreditCounters shared;
    private final CreditCounters local;
    private final Failover failover;

    public FailoverCreditCounters(CreditCounters shared, CreditCounters local, MeterRegistry meters) {
        this.shared = shared;
        this.local = local;
        this.failover = new Failover("gatehouse.credits", "Credits", meters);
    }

    @Override
    public Charge charge(String balance, long cost) {
        return failover.call(() -> shared.charge(balance, cost), () -> local.charge(balance, cost));
    }

    @Override
    public Charge charge(String balance, long cost, Ledger loaded, long keepMillis) {
        return failover.call(() -> shared.charge(balance, cost, loaded, keepMillis),
                () -> local.charge(balance, cost, loaded, keepMillis));
    }

    @Override
    public Map<String, Long> takePending(int max) {
        Map<String, Long> taken = new HashMap<>(local.takePending(max));
        try {
            shared.takePending(max).forEach((balance, credits) -> taken.merge(balance, credits, Long::sum));
        } catch (RuntimeException e) {
            LOG.debugf("Credits: Redis did not answer while taking pending charges (%s)", e.getClass().getSimpleName());
        }
        return taken;
    }

    @Override
    public void settle(String balance, Ledger recorded) {
        local.settle(balance, recorded);
        try {
            shared.settle(balance, recorded);
        } catch (RuntimeException e) {
            LOG.debugf("Credits: Redis did not answer while settling a balance (%s)", e.getClass().getSimpleName());
        }
    }

    @Override
    public void release(Predicate<String> stale) {
        // Back on Redis, every balance this node held on its own is stale once written: the next outage
        // loads afresh from the store of record.
        local.release(failover.usingLocal() ? stale : balance -> true);
    }
}
