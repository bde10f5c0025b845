package dev.gatehouse.discovery;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** {@code GET /openapi.json}: SmallRye's generated description of every endpoint, always as JSON. */
@ApplicationScoped
public class OpenApiDocument {
    void install(@Observes Router router) {
        router.get("/openapi.json").order(-50).handler(context -> {
            context.request().headers().set("Accept", "application/json");
            context.reroute("/q/openapi");
        });
    }
}
