package dev.gatehouse.keys;

import dev.gatehouse.admin.OperatorGuard;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
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
    private final OperatorGuard operators;

    KeyRotationResource(KeyRing ring, OperatorGuard operators) {
        this.ring = ring;
        this.operators = operators;
    }

    @GET
    public List<Map<String, Object>> ring(@Context HttpHeaders headers) {
        operators.require(headers);
        return ring.describe();
    }

    @POST
    @Path("/rotate")
    public Map<String, Object> rotate(@Context HttpHeaders headers) {
        operators.require(headers);
        return Map.of("kid", ring.rotate(), "keys", ring.describe());
    }
}
