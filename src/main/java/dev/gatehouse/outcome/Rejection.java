package dev.gatehouse.outcome;

/**
 * A request a domain service refuses, in the domain's words: why ({@link Reason}) and a message the
 * caller may read. Services throw it and know nothing of HTTP; {@code web.ErrorMappers} is where it
 * becomes a status and the deployment's error body. Nothing has changed when it is thrown.
 */
public final class Rejection extends RuntimeException {
    public enum Reason {
        /** The request is malformed or asks for something impossible. */
        INVALID_INPUT,
        /** No such thing, or not the caller's (the two are not told apart). */
        NOT_FOUND,
        /** The request contradicts the current state (rolling a key twice). */
        CONFLICT,
        /** Understood and allowed to nobody in this state (a disabled account signing in). */
        FORBIDDEN
    }

    private final Reason reason;

    private Rejection(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public static Rejection invalid(String message) {
        return new Rejection(Reason.INVALID_INPUT, message);
    }

    public static Rejection notFound(String message) {
        return new Rejection(Reason.NOT_FOUND, message);
    }

    public static Rejection conflict(String message) {
        return new Rejection(Reason.CONFLICT, message);
    }

    public static Rejection forbidden(String message) {
        return new Rejection(Reason.FORBIDDEN, message);
    }

    public Reason reason() {
        return reason;
    }
}
