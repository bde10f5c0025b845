package dev.gatehouse.keys;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The operator's command: {@code POST /admin/keys/rotate} publishes a new signing key now (it signs after
 * {@code publish-ahead}); {@code GET /admin/keys} shows the ring. Both for operators only ({@link dev.gatehouse.admin.OperatorGuard}).
 */
@SecurityRequirement(name = "operator")
@Tag(name = "admin")
@Path("/admin/keys")
@Produces(MediaType.APPLICATION_JSON)
public class KeyRotationResource {
    private final KeyRing ring;

    private final AuditLog audit;

    KeyRotationResource(KeyRing ring, AuditLog audit) {
        this.audit = audit;
        this.ring = ring;
    }

    @GET
    public List<Map<String, Object>> ring() {
        return ring.describe();
    }

    @POST
    @Path("/rotate")
    public Map<String, Object> rotate() {
        String kid = ring.rotate();
        audit.record(AuditEvent.Type.ADMIN_ACTION, audit.operator(), null, kid, Map.of("action", "signing keys rotated"));
        return Map.of("kid", kid, "keys", ring.describe());
    }
}
