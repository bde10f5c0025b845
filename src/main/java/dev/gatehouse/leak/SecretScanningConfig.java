package dev.gatehouse.leak;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code gatehouse.secret-scanning.*}: reports of leaked keys from GitHub's secret scanning partner program
 * (specs.md §10.2). The endpoint is off (404) until at least one way to know GitHub's signing keys is set.
 */
@ConfigMapping(prefix = "gatehouse.secret-scanning")
public interface SecretScanningConfig {
    /**
     * Signing keys by GitHub's {@code key_identifier}, each a PEM public key (ECDSA P-256). Pinned keys need
     * no outbound call, but must be updated by hand when GitHub rotates.
     */
    Map<String, String> publicKeys();

    /**
     * Where GitHub publishes its signing keys ({@code {"public_keys":[{"key_identifier","key","is_current"}]}}),
     * normally {@code https://api.github.com/meta/public_keys/secret_scanning}. Unset: only the pinned keys count.
     */
    Optional<URI> keysUrl();

    /** How long keys fetched from {@link #keysUrl()} are used before they are fetched again. */
    @WithDefault("1h")
    Duration keysCacheTime();

    /**
     * The shortest time between two fetches caused by a key id we do not know, so that reports naming
     * made-up ids cannot make us call the keys URL on every request.
     */
    @WithDefault("1m")
    Duration keysRefetchInterval();

    /** The whole exchange with the keys URL: connect, headers and body. */
    @WithDefault("5s")
    Duration keysTimeout();

    /** Largest report body accepted, in bytes; a larger one is refused with 413 and nothing is revoked. */
    @WithDefault("1048576")
    int maxBodyBytes();

    /** Most entries in one report; more are refused with 413 and nothing is revoked. */
    @WithDefault("1000")
    int maxEntries();
}
