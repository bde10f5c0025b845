package dev.gatehouse.state;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Balances being spent, held where every node can charge them in one atomic step: Redis for several
 * nodes ({@link RedisCreditCounters}, one round trip per charge), this node's memory otherwise. A balance
 * is named by its caller (an owner and a month) and loaded from the store of record on first use.
 *
 * <p>Each loading of a balance is a <em>holding</em> with an epoch of its own (a random id) that counts,
 * cumulatively, what it charged. Writers copy that count, the holding's {@link Mark}, to the store of
 * record, which keeps the highest count written per epoch: writing a mark again, late, or from an older
 * copy of Redis adds nothing, so no charge is ever written twice. A holding also knows what the others
 * spent ({@code base}: other nodes charging on their own, earlier holdings), and refuses a charge the
 * balance cannot cover, so it never goes below zero.
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
        NOT_HELD,
        /**
         * Redis failed while charging: it may or may not have counted the charge. Nothing is charged
         * elsewhere (that could count it twice); read the balance again with a cost of 0.
         */
        UNCERTAIN
    }

    /** What a charge did, the credits left after it, and the credits granted as the holding knows them. */
    record Charge(Outcome outcome, long remaining, long granted) {
        public static final Charge NOT_HELD = new Charge(Outcome.NOT_HELD, 0, 0);
        public static final Charge UNCERTAIN = new Charge(Outcome.UNCERTAIN, 0, 0);
    }

    /** What one holding has charged since it was loaded. */
    record Mark(String balance, String epoch, long charged) {
    }

    /**
     * The store of record's figures after a mark was written (or a change made), for the holdings: for the
     * holding of {@code epoch} (null: none), the highest mark {@code written} for it and what everyone else
     * has spent ({@code othersSpent}); for every holding, a newer {@code version} brings a new {@code granted}
     * (a top-up, a new plan).
     */
    record Settlement(String epoch, long written, long othersSpent, long granted, long version) {
    }

    /** Charges {@code cost} (0 only reads the balance) if the balance is held and has that much left. */
    Charge charge(String balance, long cost);

    /**
     * As {@link #charge(String, long)}, holding the balance from {@code loaded} first if it is not held
     * yet (with a new epoch), until {@code keepMillis} from now.
     */
    Charge charge(String balance, long cost, Ledger loaded, long keepMillis);

    /** Up to {@code max} balances charged since they were last named here; they leave the list. */
    List<String> due(int max);

    /** The marks of a balance's holdings (Redis's, this node's own while Redis was down): none if not held. */
    List<Mark> marks(String balance);

    /** Passes the store of record's figures on to the balance's holdings. */
    void settle(String balance, Settlement settlement);

    /** Lets go of balances held in memory that {@code stale} names, once their marks are written; Redis forgets by itself. */
    default void release(Predicate<String> stale) {
    }

    /** A holding's mark as a list of at most one. */
    static List<Mark> listOf(Optional<Mark> mark) {
        return mark.map(List::of).orElse(List.of());
    }
}
