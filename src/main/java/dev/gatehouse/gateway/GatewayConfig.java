package dev.gatehouse.gateway;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code gatehouse.gateway.*}: how forward-auth and the verify API treat requests the route table does not know. */
@ConfigMapping(prefix = "gatehouse.gateway")
public interface GatewayConfig {
    /**
     * A request no route matches: {@code authenticate} asks only for a live credential and costs 1 (right
     * when the gateway sends only protected paths here, and with no route table at all); {@code deny}
     * answers 404 once the credential is valid, so a path the operator forgot to price is never free.
     */
    @WithDefault("authenticate")
    Unmatched unmatched();

    enum Unmatched {
        AUTHENTICATE,
        DENY
    }
}
