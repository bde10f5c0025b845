package dev.gatehouse.upstream;

/**
 * An upstream provider could not be reached or answered what no provider should: the sign-in through it
 * fails with 503 and Retry-After, the other ways in go on. The message names the provider, never a secret.
 */
public class UpstreamUnavailable extends RuntimeException {
    public UpstreamUnavailable(String provider, String what, Throwable cause) {
        super("The identity provider " + provider + " " + what, cause);
    }
}
