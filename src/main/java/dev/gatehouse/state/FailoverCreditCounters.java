package dev.gatehouse.state;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Redis's balances while Redis answers; this node's own while it does not ({@link Failover}), loaded
 * again from the store of record as holdings of their own. While nodes charge on their own, each one sees
 * the others' spending only as it is written (every reconcile interval), so an outage can give away what
 * the other nodes spend in one interval. A charge that fails in Redis may have been counted there: it is
 * {@link Outcome#UNCERTAIN} and charged nowhere else, so nothing is counted twice.
 */
public final class FailoverCreditCounters implements CreditCounters {
    private static final Logger LOG = Logger.getLogger(FailoverCreditCounters.class);

    private final CreditCounters shared;
    private final CreditCounters local;
    private final Failover failover;
    /** Balances whose Redis holding could not be read or settled: named again by {@link #due}. */
    private final Set<String> sharedAgain = ConcurrentHashMap.newKeySet();

    public FailoverCreditCounters(CreditCounters shared, CreditCounters local, MeterRegistry meters) {
        this.shared = shared;
        this.local = local;
        this.failover = new Failover("gatehouse.credits", "Credits", meters);
    }

    Failover failover() {
        return failover;
    }

    @Override
    public Charge charge(String balance, long cost) {
        return charge(() -> shared.charge(balance, cost), () -> local.charge(balance, cost));
    }

    @Override
    public Charge charge(String balance, long cost, Ledger loaded, long keepMillis) {
        return charge(() -> shared.charge(balance, cost, loaded, keepMillis), () -> local.charge(balance, cost, loaded, keepMillis));
    }

    private Charge charge(Supplier<Charge> inRedis, Supplier<Charge> here) {
        if (failover.useShared()) {
            try {
                Charge charge = inRedis.get();
                failover.answered();
                return charge;
            } catch (RuntimeException e) {
                // A timeout may come after Redis ran the script: charging here too could count it twice.
                failover.failed(e);
                return Charge.UNCERTAIN;
            }
        }
        failover.countLocal();
        return here.get();
    }

    @Override
    public List<String> due(int max) {
        Set<String> named = new LinkedHashSet<>(local.due(max));
        for (String balance : List.copyOf(sharedAgain)) {
            if (sharedAgain.remove(balance)) {
                named.add(balance);
            }
        }
        try {
            named.addAll(shared.due(max));
        } catch (RuntimeException e) {
            LOG.debugf("Credits: Redis did not answer while naming due balances (%s)", e.getClass().getSimpleName());
        }
        return new ArrayList<>(named);
    }

    @Override
    public List<Mark> marks(String balance) {
        List<Mark> marks = new ArrayList<>(local.marks(balance));
        try {
            marks.addAll(shared.marks(balance));
        } catch (RuntimeException e) {
            sharedAgain.add(balance); // Redis's holding is read when it answers again
        }
        return marks;
    }

    @Override
    public void settle(String balance, Settlement settlement) {
        local.settle(balance, settlement);
        try {
            shared.settle(balance, settlement);
        } catch (RuntimeException e) {
            sharedAgain.add(balance);
        }
    }

    @Override
    public void release(Predicate<String> stale) {
        // Back on Redis, every balance this node held on its own goes once written: the next outage
        // loads afresh from the store of record.
        local.release(failover.usingLocal() ? stale : balance -> true);
    }
}
