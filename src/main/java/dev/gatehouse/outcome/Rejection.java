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
        FORBIDDEN,
        /** Too many attempts under a limit: nothing was tried; {@link #retryAfter} says when it may be. */
        TOO_MANY_ATTEMPTS
    }

    private final Reason reason;
    private final java.time.Duration retryAfter;
    private final java.time.Instant retryAt;

    private Rejection(Reason reason, String message) {
        this(reason, message, null, null);
    }

    private Rejection(Reason reason, String message, java.time.Duration retryAfter, java.time.Instant retryAt) {
        super(message, null, false, false);
        this.reason = reason;
        this.retryAfter = retryAfter;
        this.retryAt = retryAt;
    }

    /** Limited: try again after {@code retryAfter}, which is {@code now} plus that. */
    public static Rejection tooManyAttempts(String message, java.time.Duration retryAfter, java.time.Instant now) {
        return new Rejection(Reason.TOO_MANY_ATTEMPTS, message, retryAfter, now.plus(retryAfter));
    }

    /** How long until a {@link Reason#TOO_MANY_ATTEMPTS} may be tried again; null for other reasons. */
    public java.time.Duration retryAfter() {
        return retryAfter;
    }

    /** When a {@link Reason#TOO_MANY_ATTEMPTS} may be tried again; null for other reasons. */
    public java.time.Instant retryAt() {
        return retryAt;
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
