package dev.gatehouse.verification;

/**
 * What a metered request cost its owner's balance: the credits it used (0 for sandbox keys and free
 * routes), the credits left in the period, and when the monthly allowance resets (epoch seconds).
 */
public record CreditCharge(long used, long remaining, long resetEpochSeconds) {
}
