package dev.gatehouse.gateway;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import java.util.Map;
import java.util.Optional;

/**
 * {@code gatehouse.routes."<name>".*}: the deployment's route table. Each named route says which requests
 * it covers (method and path pattern), the scope they need and what they cost. Forward-auth and the verify
 * API look requests up in it ({@link RouteTable}); the names only serve error messages and the docs.
 */
@ConfigMapping(prefix = "gatehouse.routes")
public interface RouteConfig {
    @WithParentName
    Map<String, Route> routes();

    interface Route {
        /** An HTTP method (GET, POST, …) or {@code *} for any. */
        @WithDefault("*")
        String method();

        /** Literal segments, {@code {param}} for exactly one segment, a final {@code **} for the rest (or none). */
        String path();

        /** The scope the credential must hold; none means any live credential will do. */
        Optional<String> scope();

        /** Credits one request costs (0 for free). */
        @WithDefault("1")
        long cost();
    }
}
