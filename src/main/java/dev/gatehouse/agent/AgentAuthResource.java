package dev.gatehouse.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.web.RequestOrigin;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * {@code POST /agent/auth} (auth.md v0.1, specs.md §1.2), dispatched on {@code type} or seed 004's
 * {@code identity_type}. Anonymous start is served; identity assertions (ID-JAG, verified email) are
 * refused with their {@code *_not_enabled} code until this deployment trusts a provider.
 */
@Path("/agent/auth")
public class AgentAuthResource {
    static final String ID_JAG = "urn:ietf:params:oauth:token-type:id-jag";

    private final AgentRegistrations registrations;
    private final RegistrationRateLimit rateLimit;

    AgentAuthResource(AgentRegistrations registrations, RegistrationRateLimit rateLimit) {
        this.registrations = registrations;
        this.rateLimit = rateLimit;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response register(JsonNode request, @Context HttpServerRequest http) {
        if (request == null || !request.isObject()) {
            throw AgentError.invalidRequest("The body must be a JSON object with a type");
        }
        String type = request.hasNonNull("type") ? request.get("type").asText() : request.path("identity_type").asText(null);
        if (type == null) {
            throw AgentError.invalidRequest("type (or identity_type) is required: anonymous or identity_assertion");
        }
        if (type.equals("anonymous") || type.equals("identity_assertion")) {
            rateLimit.check(type, RequestOrigin.clientAddress(http));
        }
        return switch (type) {
            case "anonymous" -> anonymous(request);
            case "identity_assertion" -> throw identityAssertion(request);
            default -> throw AgentError.invalidRequest("Unknown type " + type + ": anonymous or identity_assertion");
        };
    }

    private Response anonymous(JsonNode request) {
        String credentialType = request.path("requested_credential_type").asText("api_key");
        if (!credentialType.equals("api_key")) {
            throw AgentError.invalidRequest("An anonymous registration can only request an api_key");
        }
        Map<String, Object> answer = registrations.registerAnonymous();
        return Response.ok(answer).header("Cache-Control", "no-store").header("Pragma", "no-cache").build();
    }

    private static AgentError identityAssertion(JsonNode request) {
        String assertionType = request.path("assertion_type").asText("");
        return switch (assertionType) {
            case ID_JAG -> new AgentError(400, "issuer_not_enabled", "This service trusts no agent provider yet");
            case "verified_email" -> new AgentError(400, "verified_email_not_enabled", "This service does not register by verified email yet");
            default -> AgentError.invalidRequest("assertion_type must be " + ID_JAG + " or verified_email");
        };
    }
}
