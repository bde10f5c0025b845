package dev.gatehouse.keys;

import dev.gatehouse.token.TokenHash;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

/**
 * The operator's command: {@code POST /admin/keys/rotate} publishes a new signing key now (it signs after
 * {@code publish-ahead}); {@code GET /admin/keys} shows the ring. Both need {@code gatehouse.admin.token}.
 */
@Path("/admin/keys")
@Produces(MediaType.APPLICATION_JSON)
public class KeyRotationResource {
    private final KeyRing ring;
    private final byte[] tokenHash;

    KeyRotationResource(KeyRing ring, AdminConfig config) {
        this.ring = ring;
        this.tokenHash = config.token().map(token -> TokenHash.of(token).bytes()).orElse(null);
    }

    @GET
    public List<Map<String, Object>> ring(@Context HttpHeaders headers) {
        checkOperator(headers);
        return ring.describe();
    }

    @POST
    @Path("/rotate")
    public Map<String, Object> rotate(@Context HttpHeaders headers) {
        checkOperator(headers);
        return Map.of("kid", ring.rotate(), "keys", ring.describe());
    }

    private void checkOperator(HttpHeaders headers) {
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        // Without a configured token, or with a wrong one, the endpoint looks absent.
        if (tokenHash == null || authorization == null || !authorization.startsWith("Bearer ")
                || !MessageDigest.isEqual(tokenHash, TokenHash.of(authorization.substring(7).strip()).bytes())) {
            throw new NotFoundException();
        }
    }
}
