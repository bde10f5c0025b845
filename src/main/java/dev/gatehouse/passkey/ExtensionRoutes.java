package dev.gatehouse.passkey;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The WebAuthn extension serves routes of its own whatever its {@code enable-*} settings say
 * ({@code /q/webauthn/*}: options, a logout, its script; {@code /.well-known/webauthn}). Gatehouse uses none of
 * them: its own endpoints check the request's site, the session and its CSRF token, and use each challenge once.
 * These answer 404, as any path Gatehouse does not serve.
 */
@ApplicationScoped
class ExtensionRoutes {
    void install(@Observes Router router) {
        router.routeWithRegex("/q/webauthn(/.*)?|/\\.well-known/webauthn").order(-300).handler(context -> context.response()
                .setStatusCode(404).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("status", 404).put("error", "Not Found").put("message", "No such resource").encode()));
    }
}
