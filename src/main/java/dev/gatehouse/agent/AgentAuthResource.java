package dev.gatehouse.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.oauth.NoStore;
import dev.gatehouse.web.ClientAddresses;
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
 * {@code identity_type}: anonymous start, email required (verified email), and agent verified (ID-JAG,
 * when a provider is trusted); a method that is off answers its {@code *_not_enabled} code. With
 * {@code gatehouse.agent.registration=sign-up-only} every registration answers 403 {@code sign_up_required}.
 */
@Path("/agent/auth")
public class AgentAuthResource {
    static final String ID_JAG = "urn:ietf:params:oauth:token-type:id-jag";
    public static final String REVOKED_EVENT = "https://schemas.workos.com/events/agent/auth/identity/assertion/revoked";

    private final AgentRegistrations registrations;
    private final RegistrationRateLimit rateLimit;
    private final IdJagVerifier assertions;
    private final AgentSignUp signUp;
    private final ClientAddresses addresses;

    AgentAuthResource(AgentRegistrations registrations, RegistrationRateLimit rateLimit, IdJagVerifier assertions,
            AgentSignUp signUp, ClientAddresses addresses) {
        this.registrations = registrations;
        this.rateLimit = rateLimit;
        this.assertions = assertions;
        this.signUp = signUp;
        this.addresses = addresses;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response register(JsonNode request, @Context HttpServerRequest http) {
        // Before reading the body: seed 004 answers its bare {"identity_type": "identity_assertion"} this way.
        signUp.refuseRegistration();
        if (request == null || !request.isObject()) {
            throw AgentError.invalidRequest("The body must be a JSON object with a type");
        }
        String type = request.hasNonNull("type") ? request.get("type").asText() : request.path("identity_type").asText(null);
        if (type == null) {
            throw AgentError.invalidRequest("type (or identity_type) is required: anonymous or identity_assertion");
        }
        if (type.equals("anonymous") || type.equals("identity_assertion")) {
            rateLimit.check(type, addresses.textOf(http));
        }
        return switch (type) {
            case "anonymous" -> anonymous(request);
            case "identity_assertion" -> identityAssertion(request, addresses.textOf(http));
            default -> throw AgentError.invalidRequest("Unknown type " + type + ": anonymous or identity_assertion");
        };
    }

    private Response anonymous(JsonNode request) {
        String credentialType = request.path("requested_credential_type").asText("api_key");
        if (!credentialType.equals("api_key")) {
            throw AgentError.invalidRequest("An anonymous registration can only request an api_key");
        }
        return NoStore.ok(registrations.registerAnonymous());
    }

    private Response identityAssertion(JsonNode request, String address) {
        String assertionType = request.path("assertion_type").asText("");
        switch (assertionType) {
            case ID_JAG -> {
                if (!assertions.enabled()) {
                    throw new AgentError(400, "issuer_not_enabled", "This service trusts no agent provider");
                }
                String credentialType = request.path("requested_credential_type").asText("api_key");
                if (!credentialType.equals("api_key")) {
                    throw new AgentError(400, "unsupported_credential_type", "Agents verified by a provider get an api_key here");
                }
                String assertion = request.path("assertion").asText(null);
                if (assertion == null || assertion.isBlank()) {
                    throw AgentError.invalidRequest("assertion is required");
                }
                IdJagVerifier.Assertion verified = assertions.verify(assertion, IdJagVerifier.ID_JAG);
                assertions.requireProviderClient(verified);
                return NoStore.ok(registrations.registerVerified(verified));
            }
            case "verified_email" -> {
                String credentialType = request.path("requested_credential_type").asText("api_key");
                if (!credentialType.equals("api_key")) {
                    throw new AgentError(400, "unsupported_credential_type", "Agents registered by email get an api_key here");
                }
                return NoStore.ok(registrations.registerByEmail(request.path("assertion").asText(null), address));
            }
            default -> throw AgentError.invalidRequest("assertion_type must be " + ID_JAG + " or verified_email");
        }
    }

    /**
     * {@code POST /agent/auth/revoke} (specs.md §1.4): a trusted provider's {@code logout+jwt} revokes every
     * credential issued for its (iss, sub). 200 with how many; 400 when the token does not verify.
     */
    @POST
    @Path("/revoke")
    @Consumes({"application/logout+jwt", "application/jwt", MediaType.TEXT_PLAIN})
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> revoke(String logoutToken) {
        if (logoutToken == null || logoutToken.isBlank()) {
            throw AgentError.invalidRequest("The body must be a logout+jwt");
        }
        IdJagVerifier.Assertion logout = assertions.verify(logoutToken.strip(), IdJagVerifier.LOGOUT);
        Object events = logout.claims().getClaim("events");
        if (!(events instanceof Map<?, ?> map) || !map.containsKey(REVOKED_EVENT)) {
            throw AgentError.invalidRequest("events must contain " + REVOKED_EVENT);
        }
        if (logout.subject() == null) {
            throw AgentError.invalidRequest("sub is required");
        }
        return Map.of("revoked", registrations.revokeFor(logout.issuer(), logout.subject()));
    }
}
