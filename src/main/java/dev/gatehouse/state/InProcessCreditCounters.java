package dev.gatehouse.state;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/** {@link CreditCounters} for one node, and the fallback of a node whose Redis is down. */
public final class InProcessCreditCounters implements CreditCounters {

    private static final class Held {
        long granted;
        long spent;
        long pending;
        long version;

        Held(Ledger ledger) {
            granted = ledger.granted();
            spent = ledger.spent();
            version = ledger.version();
        }
    }

    private final Map<String, Held> balances = new ConcurrentHashMap<>();

    @Override
    public Charge charge(String balance, long cost) {
        Held held = balances.get(balance);
        return held == null ? Charge.NOT_HELD : charge(held, cost);
    }

    @Override
    public Charge charge(String balance, long cost, Ledger loaded, long keepMillis) {
        return charge(balances.computeIfAbsent(balance, b -> new Held(loaded)), cost);
    }

    private static Charge charge(Held held, long cost) {
        synchronized (held) {
            long left = Math.max(0, held.granted - held.spent);
            if (left < cost) {
                return new Charge(Outcome.REFUSED, left);
            }
            held.spent += cost;
            held.pending += cost;
            return new Charge(Outcome.CHARGED, left - cost);
        }
    }

    @Override
    public Map<String, Long> takePending(int max) {
        Map<String, Long> taken = new HashMap<>();
        for (Map.Entry<String, Held> entry : balances.entrySet()) {
            if (taken.size() >= max) {
                break;
            }
            Held held = entry.getValue();
            synchronized (held) {
                if (held.pending > 0) {
                    taken.put(entry.getKey(), held.pending);
                    held.pending = 0;
                }
            }
        }
        return taken;
    }

    @Override
    public void settle(String balance, Ledger recorded) {
        Held held = balances.get(balance);
        if (held == null) {
            return;
        }
        synchronized (held) {
            if (recorded.version() > held.version) {
                held.granted = recorded.granted();
                held.version = recorded.version();
            }
            // Other nodes counting on their own (Redis down) spent from the same balance: their writes show
            // in the store's figure. Never lower: what this node charged stays charged.
            held.spent = Math.max(held.spent, recorded.spent() + held.pending);
        }
    }

    @Override
    public void release(Predicate<String> stale) {
        balances.entrySet().removeIf(entry -> {
            synchronized (entry.getValue()) {
                return entry.getValue().pending == 0 && stale.test(entry.getKey());
            }
        });
    }
}
