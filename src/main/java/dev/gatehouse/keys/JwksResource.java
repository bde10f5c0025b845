package dev.gatehouse.keys;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** {@code GET /oauth2/jwks}: the public keys that verify Gatehouse's JWTs, next and retired ones included. */
@Path("/oauth2/jwks")
public class JwksResource {
    private final KeyRing ring;
    private final String cacheControl;

    JwksResource(KeyRing ring, KeysConfig config) {
        this.ring = ring;
        // A new key reaches every node within check-interval and signs after publish-ahead; a verifier's
        // cached copy must expire within what is left, so it meets the key before a token signed by it.
        long seconds = Math.min(300, config.publishAhead().minus(config.checkInterval()).toSeconds() / 2);
        this.cacheControl = seconds > 0 ? "public, max-age=" + seconds : "no-cache";
    }

    @GET
    @Produces({"application/jwk-set+json", "application/json"})
    public Response jwks() {
        Map<String, Object> keys = ring.publishedKeys().toJSONObject(true);
        return Response.ok(keys).header("Cache-Control", cacheControl).build();
    }
}
