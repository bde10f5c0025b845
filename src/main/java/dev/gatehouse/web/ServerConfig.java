package dev.gatehouse.web;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;

/** {@code gatehouse.issuer}: the public base URL, as callers see it (GATEHOUSE_ISSUER). */
@ConfigMapping(prefix = "gatehouse")
public interface ServerConfig {
    @WithDefault("http://localhost:8080")
    URI issuer();
}
