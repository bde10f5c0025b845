package dev.gatehouse.metering;

import dev.gatehouse.admin.OperatorGuard;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;

/**
 * {@code PUT /admin/api-keys/{id}/rate-limit} with {@code {"policy": "<name>"}}: an operator gives one key a
 * rate-limit policy of its own (seed 002: "contacting support for a rate-limit increase"); {@code null}
 * returns it to its plan's. Takes effect on every node as the change is announced.
 */
@Path("/admin/api-keys/{id}/rate-limit")
@Produces(MediaType.APPLICATION_JSON)
public class RateLimitAdminResource {

    @RegisterForReflection
    public record PolicyChoice(String policy) {
    }

    @RegisterForReflection
    public record KeyPolicy(UUID id, String policy) {
    }

    private final TokenStore store;
    private final CheckRateLimit rateLimit;
    private final OperatorGuard operators;

    RateLimitAdminResource(TokenStore store, CheckRateLimit rateLimit, OperatorGuard operators) {
        this.store = store;
        this.rateLimit = rateLimit;
        this.operators = operators;
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public KeyPolicy set(@Context HttpHeaders headers, @PathParam("id") UUID id, PolicyChoice choice) {
        operators.require(headers);
        String policy = choice == null ? null : choice.policy();
        if (policy != null && !rateLimit.knows(policy)) {
            throw Rejection.invalid("No rate-limit policy named " + policy + " in gatehouse.rate-limits.policies");
        }
        boolean apiKey = store.findById(id).map(TokenRecord::kind).filter(kind -> kind == TokenKind.API_KEY).isPresent();
        if (!apiKey) {
            throw Rejection.notFound("No such API key");
        }
        TokenRecord changed = store.setRateLimitPolicy(id, policy).orElseThrow(() -> Rejection.notFound("No such API key"));
        return new KeyPolicy(changed.id(), changed.rateLimitPolicy());
    }
}
