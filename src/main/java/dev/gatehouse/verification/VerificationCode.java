package dev.gatehouse.verification;

/**
 * What checking a credential at its moment of use concluded. The names after {@code VALID} up to
 * {@code INSUFFICIENT_CREDITS} are Unkey's verify codes, which the verify API returns as they are; the
 * others say why a request never got as far as a token. {@code guard.Refusals} is the one place that
 * turns them into HTTP.
 */
public enum VerificationCode {
    VALID,
    /** No credential in any accepted header. */
    MISSING,
    /** A credential in the URL query, where it leaks into logs (RFC 6750 §2.3, seed 000). */
    IN_QUERY,
    /** Different credentials in two headers (RFC 6750 §2: one method per request). */
    CONFLICTING,
    /** A credential in a header that does not carry its kind (an API key where only OAuth tokens go). */
    WRONG_HEADER,
    /** Not shaped like anything Gatehouse issues: bad checksum, bad signature. Nothing was looked up. */
    MALFORMED,
    NOT_FOUND,
    EXPIRED,
    REVOKED,
    /** A live credential of a kind this way in does not take (an API key where a person must act). */
    KIND_NOT_ALLOWED,
    /** A live token issued to a client this way in does not take (management needs a first-party client). */
    CLIENT_NOT_ALLOWED,
    IP_NOT_ALLOWED,
    INSUFFICIENT_SCOPE,
    /** The owner's plan does not include the route asked for (seed 002's "Your plan does not include access to this endpoint"). */
    NOT_IN_PLAN,
    RATE_LIMITED,
    QUOTA_EXCEEDED,
    INSUFFICIENT_CREDITS,
    /** PostgreSQL had to be asked and could not answer: try again shortly. */
    UNAVAILABLE
}
