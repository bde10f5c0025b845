package dev.gatehouse.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/** {@link CreditCounters} for one node, and the fallback of a node whose Redis is down. */
public final class InProcessCreditCounters implements CreditCounters {

    private static final class Held {
        final String epoch = UUID.randomUUID().toString();
        long granted;
        long base;
        long own;
        long written;
        long version;
        boolean released;

        Held(Ledger ledger) {
            granted = ledger.granted();
            base = ledger.spent();
            version = ledger.version();
        }
    }

    private final Map<String, Held> balances = new ConcurrentHashMap<>();
    private final Set<String> due = ConcurrentHashMap.newKeySet();

    @Override
    public Charge charge(String balance, long cost) {
        Held held = balances.get(balance);
        if (held == null) {
            return Charge.NOT_HELD;
        }
        Charge charge = charge(balance, held, cost);
        return charge == null ? charge(balance, cost) : charge;
    }

    @Override
    public Charge charge(String balance, long cost, Ledger loaded, long keepMillis) {
        Charge charge = charge(balance, balances.computeIfAbsent(balance, b -> new Held(loaded)), cost);
        return charge == null ? charge(balance, cost, loaded, keepMillis) : charge;
    }

    /** Null if the holding was released meanwhile: the caller looks again. */
    private Charge charge(String balance, Held held, long cost) {
        synchronized (held) {
            if (held.released) {
                return null;
            }
            long left = Math.max(0, held.granted - held.base - held.own);
            if (left < cost) {
                return new Charge(Outcome.REFUSED, left, held.granted);
            }
            if (cost > 0) {
                held.own += cost;
                due.add(balance);
            }
            return new Charge(Outcome.CHARGED, left - cost, held.granted);
        }
    }

    @Override
    public List<String> due(int max) {
        List<String> named = new ArrayList<>();
        for (String balance : due) {
            if (named.size() >= max) {
                break;
            }
            if (due.remove(balance)) {
                named.add(balance);
            }
        }
        return named;
    }

    @Override
    public List<Mark> marks(String balance) {
        Held held = balances.get(balance);
        if (held == null) {
            return List.of();
        }
        synchronized (held) {
            return CreditCounters.listOf(Optional.of(new Mark(balance, held.epoch, held.own)));
        }
    }

    @Override
    public void settle(String balance, Settlement settlement) {
        Held held = balances.get(balance);
        if (held == null) {
            return;
        }
        synchronized (held) {
            if (held.epoch.equals(settlement.epoch())) {
                // What others spent only grows; this holding's own charges are its own count.
                held.base = Math.max(held.base, settlement.othersSpent());
                held.written = Math.max(held.written, settlement.written());
            }
            if (settlement.version() > held.version) {
                held.granted = settlement.granted();
                held.version = settlement.version();
            }
        }
    }

    /** Only holdings whose every charge is written go: nothing charged is ever dropped. */
    @Override
    public void release(Predicate<String> stale) {
        balances.entrySet().removeIf(entry -> {
            Held held = entry.getValue();
            synchronized (held) {
                if (held.own > held.written || due.contains(entry.getKey()) || !stale.test(entry.getKey())) {
                    return false;
                }
                held.released = true;
                return true;
            }
        });
    }
}
