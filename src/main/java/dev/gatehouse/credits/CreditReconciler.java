package dev.gatehouse.credits;

import dev.gatehouse.credits.CreditLedger.Period;
import dev.gatehouse.outcome.StoreUnavailable;
import dev.gatehouse.state.CreditCounters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Writes what the hot counters charged to PostgreSQL, every {@code gatehouse.plans.reconcile-interval}:
 * for each balance charged since the last round, each holding's mark (its count of charges) goes to the
 * ledger, which adds only what is above the mark written before; the holding then takes the ledger's
 * figures (what the others spent, a new grant). Nothing is taken out of the counters, so a failed or
 * repeated write loses nothing and counts nothing twice: a balance whose write failed is named again
 * next round. Balances refused for want of credits are looked at too, so a top-up that one holding
 * missed reaches it.
 */
@ApplicationScoped
class CreditReconciler {
    private static final Logger LOG = Logger.getLogger(CreditReconciler.class);
    /** Balances named per call to the counters. */
    private static final int BATCH = 500;

    private final CreditCounters counters;
    private final CreditLedger ledger;
    private final Plans plans;
    private final PlansConfig config;
    private final Clock clock;
    /** Balances to look at next round: their write failed, or a charge was refused. */
    private final Set<String> again = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService schedule;
    /** Balances read from the hot counters and written: what reconciling costs, as load, Redis calls and writes. */
    private final Counter reconciled;

    CreditReconciler(CreditCounters counters, CreditLedger ledger, Plans plans, PlansConfig config, Clock clock, MeterRegistry meters) {
        this.counters = counters;
        this.reconciled = Counter.builder("gatehouse.credits.reconciled")
                .description("Credits: balances whose charges were read from the hot counters and written to PostgreSQL")
                .register(meters);
        this.ledger = ledger;
        this.plans = plans;
        this.config = config;
        this.clock = clock;
    }

    void start(@Observes StartupEvent event) {
        if (!plans.anyCharges()) {
            return;
        }
        long every = Math.max(50, config.reconcileInterval().toMillis());
        schedule = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("gatehouse-credit-reconciler").daemon().factory());
        schedule.scheduleWithFixedDelay(this::reconcileQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (schedule != null) {
            schedule.shutdown();
            try {
                schedule.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reconcileQuietly(); // a node stopping writes what it holds, if PostgreSQL answers
        }
    }

    /** Looks at this balance in the next round, whether or not anything was charged to it. */
    void recheck(String balance) {
        again.add(balance);
    }

    private void reconcileQuietly() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            LOG.warnf("Credits: reconciling failed (%s); the next round tries again", e.getClass().getSimpleName());
        }
    }

    /** One round. Returns how many holdings' marks were written. */
    synchronized int reconcile() {
        Set<String> balances = new LinkedHashSet<>();
        for (String balance : List.copyOf(again)) {
            if (again.remove(balance)) {
                balances.add(balance);
            }
        }
        List<String> named;
        do {
            named = counters.due(BATCH);
            balances.addAll(named);
        } while (named.size() >= BATCH);

        int written = 0;
        List<String> left = new ArrayList<>(balances);
        for (int i = 0; i < left.size(); i++) {
            String balance = left.get(i);
            try {
                written += write(balance);
            } catch (StoreUnavailable e) {
                again.addAll(left.subList(i, left.size()));
                LOG.warnf("Credits: PostgreSQL did not answer; %d balances wait to be written", left.size() - i);
                return written;
            } catch (RuntimeException e) {
                // Not an outage: a balance the ledger does not know (a restored database?). Its charges stay
                // counted in its holding; the next charge names it again.
                LOG.errorf(e, "Credits: balance %s could not be written", balance);
            }
        }
        YearMonth current = Credits.monthOf(clock.instant());
        counters.release(balance -> !Period.of(balance).month().equals(current));
        return written;
    }

    private int write(String balance) {
        Period period = Period.of(balance);
        int written = 0;
        for (CreditCounters.Mark mark : counters.marks(balance)) {
            CreditLedger.Written recorded = ledger.write(period, mark.epoch(), mark.charged());
            CreditLedger.Statement figures = recorded.statement();
            counters.settle(balance, new CreditCounters.Settlement(mark.epoch(), recorded.written(),
                    figures.spent() - recorded.written(), figures.granted(), figures.version()));
            written++;
        }
        reconciled.increment();
        return written;
    }
}
