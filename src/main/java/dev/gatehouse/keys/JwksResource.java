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

    JwksResource(KeyRing ring) {
        this.ring = ring;
    }

    @GET
    @Produces({"application/jwk-set+json", "application/json"})
    public Response jwks() {
        Map<String, Object> keys = ring.publishedKeys().toJSONObject(true);
        // Short cache: a verifier sees a new key well within the publish-ahead window.
        return Response.ok(keys).header("Cache-Control", "public, max-age=300").build();
    }
}
