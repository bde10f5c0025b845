package dev.gatehouse.state;

import java.util.Map;
import java.util.function.Predicate;

/**
 * Balances being spent, held where every node can charge them in one atomic step: Redis for several
 * nodes ({@link RedisCreditCounters}, one round trip per charge), this node's memory otherwise. A balance
 * is named by its caller (an owner and a month) and loaded from the store of record on first use; what
 * is charged is also kept as <em>pending</em> until the caller writes it to that store and takes it.
 *
 * <p>A charge never takes a balance below zero: it is refused instead. {@code spent} counts everything
 * charged in the balance's life, written or not, so a later change of {@code granted} (a top-up) needs
 * no knowledge of what is still pending.
 */
public interface CreditCounters {

    /** A balance as the store of record has it: credits granted, credits spent and written, and its version. */
    record Ledger(long granted, long spent, long version) {
    }

    enum Outcome {
        CHARGED,
        /** The balance is short: nothing was charged. */
        REFUSED,
        /** The balance is not held here yet: load its {@link Ledger} and charge again with it. */
        NOT_HELD
    }

    /** What a charge did, and the credits left after it. */
    record Charge(Outcome outcome, long remaining) {
        public static final Charge NOT_HELD = new Charge(Outcome.NOT_HELD, 0);
    }

    /** Charges {@code cost} (0 only reads) if the balance is held and has that much left. */
    Charge charge(String balance, long cost);

    /** As {@link #charge(String, long)}, holding the balance from {@code loaded} first if it is not held yet, until {@code keepMillis} from now. */
    Charge charge(String balance, long cost, Ledger loaded, long keepMillis);

    /** Takes what was charged but not yet written, from up to {@code max} balances: the caller must now write it. */
    Map<String, Long> takePending(int max);

    /** The store of record's figures after a write or a change (a top-up, a new plan): a newer version's {@code granted} replaces the held one. */
    void settle(String balance, Ledger recorded);

    /** Lets go of balances held in memory that have nothing pending and that {@code stale} names; Redis forgets by itself. */
    default void release(Predicate<String> stale) {
    }
}
