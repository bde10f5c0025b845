package dev.gatehouse.keys;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** {@code gatehouse.keys.*}: the keys that sign Gatehouse's JWTs. */
@ConfigMapping(prefix = "gatehouse.keys")
public interface KeysConfig {
    /** Algorithm of newly generated keys. */
    @WithDefault("ES256")
    SigningAlgorithm algorithm();

    /**
     * 32 random bytes, base64 or base64url, that encrypt private keys at rest (GATEHOUSE_KEYS_ENCRYPTION_KEY).
     * Required outside dev and test; every node needs the same value.
     */
    Optional<String> encryptionKey();

    /** How often a new key is made. */
    @WithDefault("30d")
    Duration rotationInterval();

    /** How long a new key is published before it signs, so verifiers that cache the JWKS see it first. */
    @WithDefault("1h")
    Duration publishAhead();

    /** How often each node reloads the key ring and checks whether rotation is due. */
    @WithDefault("1m")
    Duration checkInterval();
}
