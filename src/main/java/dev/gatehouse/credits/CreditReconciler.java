package dev.gatehouse.credits;

import dev.gatehouse.credits.CreditLedger.Period;
import dev.gatehouse.outcome.StoreUnavailable;
import dev.gatehouse.state.CreditCounters;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.YearMonth;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Writes what the hot counters charged to PostgreSQL, every {@code gatehouse.plans.reconcile-interval}.
 * Charges are taken from the counters first and then written, so a charge is written at most once: if
 * the write fails they wait on this node and are written with the next batch; if this node dies first,
 * they are given away (never charged twice). After a write the counters take the store's figures.
 */
@ApplicationScoped
class CreditReconciler {
    private static final Logger LOG = Logger.getLogger(CreditReconciler.class);
    /** Balances taken per round trip to the counters. */
    private static final int BATCH = 500;

    private final CreditCounters counters;
    private final CreditLedger ledger;
    private final Plans plans;
    private final PlansConfig config;
    private final Clock clock;
    /** Charges taken from the counters whose write failed: written first next time. */
    private final Map<String, Long> unwritten = new ConcurrentHashMap<>();
    private ScheduledExecutorService schedule;

    CreditReconciler(CreditCounters counters, CreditLedger ledger, Plans plans, PlansConfig config, Clock clock) {
        this.counters = counters;
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
            reconcileQuietly(); // a node stopping writes what it holds
        }
    }

    private void reconcileQuietly() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            LOG.warnf("Credits: reconciling failed (%s); charges wait for the next round", e.getClass().getSimpleName());
        }
    }

    /** One round: takes every pending charge and writes it. Returns how many balances were written. */
    synchronized int reconcile() {
        int written = 0;
        Map<String, Long> taken;
        do {
            taken = counters.takePending(BATCH);
            taken.forEach((balance, credits) -> unwritten.merge(balance, credits, Long::sum));
            for (Map.Entry<String, Long> charge : Map.copyOf(unwritten).entrySet()) {
                try {
                    var recorded = ledger.record(Period.of(charge.getKey()), charge.getValue());
                    unwritten.remove(charge.getKey());
                    counters.settle(charge.getKey(), recorded.ledger());
                    written++;
                } catch (StoreUnavailable e) {
                    LOG.warnf("Credits: PostgreSQL did not answer; %d balances wait to be written", unwritten.size());
                    return written;
                }
            }
        } while (taken.size() >= BATCH);
        YearMonth current = Credits.monthOf(clock.instant());
        counters.release(balance -> !Period.of(balance).month().equals(current));
        return written;
    }
}
