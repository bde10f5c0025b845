package dev.gatehouse.outcome;

/**
 * PostgreSQL, the store of record, could not answer. Callers answer "try again" (503 with
 * {@code Retry-After}), never with the cause's details. Nothing was changed, except when the connection died
 * during the commit itself: then the change may have been made, and every write is safe to try again (a
 * repeated revocation is a no-op; a key minted twice leaves one whose secret nobody ever saw).
 */
public class StoreUnavailable extends RuntimeException {
    public StoreUnavailable(String what, Throwable cause) {
        super(what + " is unavailable", cause);
    }

    /**
     * What a failed statement means: PostgreSQL out of reach (no connection, shut down, out of resources)
     * is {@link StoreUnavailable}; anything else (a constraint, a bug) is an {@link IllegalStateException},
     * which must not be answered as "try again".
     */
    public static RuntimeException of(String what, java.sql.SQLException e) {
        return unreachable(e) ? new StoreUnavailable(what, e) : new IllegalStateException(what + " refused a statement (" + e.getSQLState() + ")", e);
    }

    private static boolean unreachable(java.sql.SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("53") || state.startsWith("57");
    }

    /**
     * Whether {@code failure} is, somewhere down its causes, PostgreSQL refusing a value as data (SQLState
     * class 22: a NUL in text, a number out of range): the request's input, which changed nothing.
     */
    public static boolean refusedData(Throwable failure) {
        return sqlState(failure, state -> state.startsWith("22"));
    }

    /** Whether {@code failure} is, somewhere down its causes, a unique constraint refusing a second row (SQLSTATE 23505). */
    public static boolean violatedUniqueness(Throwable failure) {
        return sqlState(failure, "23505"::equals);
    }

    /**
     * Whether {@code failure} is, somewhere down its causes, PostgreSQL refusing a token for a disabled
     * account (SQLSTATE GH001, raised by the trigger of migration V14): a disable won the race with this write.
     */
    public static boolean refusedForDisabledAccount(Throwable failure) {
        return sqlState(failure, "GH001"::equals);
    }

    /**
     * Whether {@code failure} is, somewhere down its causes, PostgreSQL out of reach: however a transaction
     * manager or an ORM wrapped it (a rollback at commit, a connection that could not be acquired).
     */
    public static boolean causedBy(Throwable failure) {
        return Causes.any(failure, cause -> cause instanceof StoreUnavailable || cause instanceof java.net.ConnectException
                || cause instanceof java.sql.SQLException sql && unreachable(sql));
    }

    /** Whether some SQLException down {@code failure}'s causes carries an SQLSTATE that {@code test} accepts. */
    private static boolean sqlState(Throwable failure, java.util.function.Predicate<String> test) {
        return Causes.any(failure, cause -> cause instanceof java.sql.SQLException sql && sql.getSQLState() != null
                && test.test(sql.getSQLState()));
    }
}
