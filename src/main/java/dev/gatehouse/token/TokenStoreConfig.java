package dev.gatehouse.token;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code gatehouse.token-cache.*}: the per-node cache in front of the token store. */
@ConfigMapping(prefix = "gatehouse.token-cache")
public interface TokenStoreConfig {
    /** How long a node trusts its cached copy of a token: bounds cross-node revocation delay without Redis. */
    @WithDefault("5s")
    Duration ttl();

    @WithDefault("100000")
    long maxEntries();
}
