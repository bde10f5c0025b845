package dev.gatehouse.metering;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.outcome.Rejection;
import dev.gatehouse.token.TokenKind;
import dev.gatehouse.token.TokenRecord;
import dev.gatehouse.token.TokenStore;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code PUT /admin/api-keys/{id}/rate-limit} with {@code {"policy": "<name>"}}: an operator gives one key a
 * rate-limit policy of its own (seed 002: "contacting support for a rate-limit increase");
 * {@code {"policy": null}} returns it to its plan's. Takes effect on every node as the change is announced.
 * Only for {@code gatehouse.admin.token}'s holder ({@link dev.gatehouse.admin.OperatorGuard}).
 */
@SecurityRequirement(name = "operator")
@Tag(name = "admin")
@Path("/admin/api-keys/{id}/rate-limit")
@Produces(MediaType.APPLICATION_JSON)
public class RateLimitAdminResource {

    @RegisterForReflection
    public record KeyPolicy(UUID id, String policy) {
    }

    private final TokenStore store;
    private final CheckRateLimit rateLimit;

    private final AuditLog audit;

    RateLimitAdminResource(TokenStore store, CheckRateLimit rateLimit, AuditLog audit) {
        this.audit = audit;
        this.store = store;
        this.rateLimit = rateLimit;
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public KeyPolicy set(@PathParam("id") UUID id, JsonNode body) {
        // Only an explicit choice changes anything: a body without "policy" is refused, not read as "none".
        if (body == null || !body.isObject() || body.size() != 1 || !body.has("policy")
                || !(body.get("policy").isNull() || body.get("policy").isTextual())) {
            throw Rejection.invalid("The body must be {\"policy\": \"<name>\"} or {\"policy\": null}");
        }
        String policy = body.get("policy").isNull() ? null : body.get("policy").asText();
        if (policy != null && !rateLimit.knows(policy)) {
            throw Rejection.invalid("No rate-limit policy named " + policy + " in gatehouse.rate-limits.policies");
        }
        boolean apiKey = store.findById(id).map(TokenRecord::kind).filter(kind -> kind == TokenKind.API_KEY).isPresent();
        if (!apiKey) {
            throw Rejection.notFound("No such API key");
        }
        TokenRecord changed = store.setRateLimitPolicy(id, policy).orElseThrow(() -> Rejection.notFound("No such API key"));
        audit.record(AuditEvent.Type.ADMIN_ACTION, audit.operator(), changed.accountId(), id.toString(),
                java.util.Map.of("action", "rate-limit policy set", "policy", policy == null ? "plan's" : policy));
        return new KeyPolicy(changed.id(), changed.rateLimitPolicy());
    }
}
