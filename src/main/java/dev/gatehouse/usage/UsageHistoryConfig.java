package dev.gatehouse.usage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code gatehouse.usage.history.*}: how long uses per hour are kept, and how many addresses per key. */
@ConfigMapping(prefix = "gatehouse.usage.history")
public interface UsageHistoryConfig {
    /** Hourly counts, addresses and alert records older than this are deleted (hourly). */
    @WithDefault("90d")
    Duration retention();

    /** Distinct source addresses kept per key, newest first. */
    @WithDefault("5")
    int recentAddresses();
}
