package dev.gatehouse.token;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code gatehouse.usage.*}: batching of last-used times and usage counts. */
@ConfigMapping(prefix = "gatehouse.usage")
public interface UsageConfig {
    /** How often batched usage is written to PostgreSQL. */
    @WithDefault("2s")
    Duration flushInterval();
}
