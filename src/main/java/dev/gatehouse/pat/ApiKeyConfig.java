package dev.gatehouse.pat;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;

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

    /** Random characters per key; must carry at least 160 bits. */
    @WithDefault("32")
    int randomLength();

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
