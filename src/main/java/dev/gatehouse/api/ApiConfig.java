package dev.gatehouse.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code gatehouse.api.*}: Gatehouse's own reference API. */
@ConfigMapping(prefix = "gatehouse.api")
public interface ApiConfig {
    /** The scope {@code GET /v1/me} requires; must be in the catalogue. */
    @WithDefault("profile:read")
    String meScope();
}
