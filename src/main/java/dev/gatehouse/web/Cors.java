package dev.gatehouse.web;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * CORS for the endpoints browsers and MCP clients call from other origins (metadata, JWKS, token,
 * revocation, introspection, registration, userinfo), with the {@code MCP-Protocol-Version} header
 * allowed (specs.md §8.2). Never for the authorization endpoint or the pages (RFC 9700 §2.6). No
 * credentials: these endpoints take no cookies, so {@code *} is safe.
 */
@ApplicationScoped
public class Cors {
    private static final List<String> OPEN_PATHS = List.of("/.well-known/oauth-authorization-server",
            "/.well-known/openid-configuration", "/.well-known/oauth-protected-resource", "/oauth2/jwks",
            "/oauth2/token", "/oauth2/revoke", "/oauth2/introspect", "/oauth2/register", "/oauth2/userinfo");
    static final String ALLOWED_HEADERS = "Authorization, Content-Type, Accept, MCP-Protocol-Version";

    void install(@Observes Router router) {
        router.route().order(-100).handler(this::cors);
    }

    void cors(RoutingContext context) {
        String origin = context.request().getHeader("Origin");
        if (origin == null || !open(context.normalizedPath())) {
            context.next();
            return;
        }
        var response = context.response();
        response.putHeader("Access-Control-Allow-Origin", "*");
        if (context.request().method() == HttpMethod.OPTIONS && context.request().getHeader("Access-Control-Request-Method") != null) {
            response.putHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
                    .putHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS)
                    .putHeader("Access-Control-Max-Age", "86400")
                    .setStatusCode(204)
                    .end();
            return;
        }
        response.putHeader("Access-Control-Expose-Headers", "WWW-Authenticate");
        context.next();
    }

    static boolean open(String path) {
        for (String open : OPEN_PATHS) {
            if (path.equals(open) || path.startsWith(open + "/")) {
                return true;
            }
        }
        return false;
    }
}
