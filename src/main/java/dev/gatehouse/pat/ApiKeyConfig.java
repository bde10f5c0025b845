package dev.gatehouse.pat;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.OptionalInt;

/** {@code gatehouse.api-keys.*}: the shape of this deployment's keys and how they are sent. */
@ConfigMapping(prefix = "gatehouse.api-keys")
public interface ApiKeyConfig {
    /** Prefix of live (production) keys; must end with a character outside the alphabet. */
    @WithDefault("gth_live_")
    String livePrefix();

    /** Prefix of test (sandbox) keys. */
    @WithDefault("gth_test_")
    String testPrefix();

    /** Alphabet of the random part and checksum: base62 or base32. */
    @WithDefault("base62")
    KeyAlphabet alphabet();

    /** Random characters per key; must carry at least 128 bits (26 in base32, 22 in base62). */
    @WithDefault("32")
    int randomLength();

    /**
     * Characters after the prefix, random part and checksum together, for a seed that fixes the key's length
     * (Jobby.dev: 32). The checksum then takes {@code length - random-length} characters (4 at least, the
     * alphabet's full CRC32 width at most). Unset: the full 32-bit checksum follows the random part, as GitHub's.
     */
    OptionalInt length();

    /** Request headers a key may arrive in: Authorization (as Bearer) and/or any custom header name. */
    @WithDefault("Authorization,X-API-Key")
    List<String> headers();

    @WithDefault("100")
    int labelMaxLength();

    Roll roll();

    /** {@code gatehouse.api-keys.roll.*}: how long a rolled key keeps working beside its successor. */
    interface Roll {
        @WithDefault("24h")
        java.time.Duration defaultGracePeriod();

        @WithDefault("30d")
        java.time.Duration maxGracePeriod();
    }
}
