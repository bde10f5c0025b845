package dev.gatehouse.keys;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.smallrye.common.annotation.NonBlocking;
import java.util.List;

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

    /** The last set answered and its JSON: written again only when the published keys change. */
    private record Written(List<JWK> keys, String json) {
    }

    private volatile Written written = new Written(null, null);

    // From the event loop, with the JSON written once per key set (issue 11: JWKS is fetched by every verifier).
    @GET
    @NonBlocking
    @Produces({"application/jwk-set+json", "application/json"})
    public Response jwks() {
        JWKSet published = ring.publishedKeys();
        Written last = written;
        if (!published.getKeys().equals(last.keys())) {
            last = new Written(published.getKeys(), published.toString(true));
            written = last;
        }
        return Response.ok(last.json()).header("Cache-Control", cacheControl).build();
    }
}
