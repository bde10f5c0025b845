package dev.gatehouse.outcome;

/**
 * PostgreSQL, the store of record, could not answer. Callers answer "try again" (503 with
 * {@code Retry-After}), never with the cause's details; nothing was changed.
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
        String state = e.getSQLState();
        boolean unreachable = state == null || state.startsWith("08") || state.startsWith("53") || state.startsWith("57");
        return unreachable ? new StoreUnavailable(what, e) : new IllegalStateException(what + " refused a statement (" + state + ")", e);
    }
}
