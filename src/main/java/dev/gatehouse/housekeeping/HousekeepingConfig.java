package dev.gatehouse.housekeeping;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code gatehouse.housekeeping.*}: removing what is expired or revoked, once it is no longer worth keeping (docs/housekeeping.md). */
@ConfigMapping(prefix = "gatehouse.housekeeping")
public interface HousekeepingConfig {
    @WithDefault("true")
    boolean enabled();

    /** How often a round runs (on one node at a time). */
    @WithDefault("1h")
    Duration interval();

    /** Tokens, codes, sessions, revoked grants and unclaimed agent registrations are kept this long after they expired or were revoked. */
    @WithDefault("30d")
    Duration retention();

    /** How long audit events are kept. */
    @WithDefault("365d")
    Duration auditRetention();

    /** Rows deleted per statement: small enough that no statement holds locks for long. */
    @WithDefault("1000")
    int batchSize();

    /** Statements per table per round at most; what is left waits for the next round. */
    @WithDefault("100")
    int mostBatches();
}
