package dev.gatehouse.verification;

/**
 * Where a metered caller stands against one limit after this request: how many units the limit allows,
 * how many remain, and when it resets (epoch seconds). Rate limits and credits are both reported so.
 */
public record Quota(long limit, long remaining, long resetEpochSeconds) {
}
