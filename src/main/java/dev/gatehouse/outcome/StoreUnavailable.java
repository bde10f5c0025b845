package dev.gatehouse.outcome;

/**
 * PostgreSQL, the store of record, could not answer. Callers answer "try again" (503 with
 * {@code Retry-After}), never with the cause's details; nothing was changed.
 */
public class StoreUnavailable extends RuntimeException {
    public StoreUnavailable(String what, Throwable cause) {
        super(what + " is unavailable", cause);
    }
}
