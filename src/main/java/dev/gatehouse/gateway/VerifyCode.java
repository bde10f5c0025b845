package dev.gatehouse.gateway;

import dev.gatehouse.verification.VerificationCode;

/**
 * The verify API's verdicts: Unkey's codes, plus {@code NOT_IN_PLAN} (the owner's plan leaves the route out) and {@code NO_ROUTE} for a live key asking about a request
 * that no route prices when the deployment denies those ({@code gatehouse.gateway.unmatched=deny}).
 */
public enum VerifyCode {
    VALID, NOT_FOUND, EXPIRED, REVOKED, IP_NOT_ALLOWED, INSUFFICIENT_SCOPE, NOT_IN_PLAN, RATE_LIMITED,
    QUOTA_EXCEEDED, INSUFFICIENT_CREDITS, NO_ROUTE;

    /**
     * The pipeline's code as a verdict. Everything that means "this string is not a usable key here" is
     * {@code NOT_FOUND}, as Unkey answers it: a malformed string, and a live credential of a kind APIs do
     * not take (a session, a refresh token). {@code UNAVAILABLE} is no verdict and never comes here.
     */
    static VerifyCode of(VerificationCode code) {
        return switch (code) {
            case VALID -> VALID;
            case MISSING, IN_QUERY, CONFLICTING, WRONG_HEADER, MALFORMED, NOT_FOUND, KIND_NOT_ALLOWED, CLIENT_NOT_ALLOWED -> NOT_FOUND;
            case EXPIRED -> EXPIRED;
            case REVOKED -> REVOKED;
            case IP_NOT_ALLOWED -> IP_NOT_ALLOWED;
            case INSUFFICIENT_SCOPE -> INSUFFICIENT_SCOPE;
            case NOT_IN_PLAN -> NOT_IN_PLAN;
            case RATE_LIMITED -> RATE_LIMITED;
            case QUOTA_EXCEEDED -> QUOTA_EXCEEDED;
            case INSUFFICIENT_CREDITS -> INSUFFICIENT_CREDITS;
            case UNAVAILABLE -> throw new IllegalArgumentException("UNAVAILABLE is answered as 503, not as a verdict");
        };
    }
}
