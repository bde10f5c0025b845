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

    /**
     * While PostgreSQL cannot be reached, how long after its last successful read a cached token is still
     * believed, so cached verifies go on through an outage. No revocation can be written meanwhile; a token's
     * own expiry is still checked. Tokens not cached get 503.
     */
    @WithDefault("1h")
    Duration staleWhileUnavailable();

    /**
     * Most tokens one node caches, and most verified JWTs it keeps (each its own cache): about 800 bytes of
     * heap per token and 600 per JWT (docs/benchmarks.md, "Scale with stored keys"). The default fits the
     * production heap of src/main/docker/jvm.options; raise -Xmx with it (docs/sizing.md).
     */
    @WithDefault("10000")
    long maxEntries();
}
