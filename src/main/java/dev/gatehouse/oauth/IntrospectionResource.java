package dev.gatehouse.oauth;

import dev.gatehouse.client.Client;
import dev.gatehouse.client.ClientAuthentication;
import dev.gatehouse.token.TokenKind;
import dev.gatehouse.token.TokenRecord;
import dev.gatehouse.verification.Verification;
import dev.gatehouse.verification.VerificationPipeline;
import dev.gatehouse.verification.VerificationPolicy;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /oauth2/introspect} (RFC 7662) for confidential clients, over every kind a resource server
 * may be shown: JWT access tokens, API keys and agent keys for any of them, refresh tokens only for the
 * client they were issued to. Anything else answers {@code {"active":false}} and nothing more (§2.2).
 * The owner is named by id, never by email (§4: say no more than the caller needs).
 */
@Path("/oauth2/introspect")
public class IntrospectionResource {
    private static final VerificationPolicy POLICY = VerificationPolicy.introspection(
            Set.of(TokenKind.ACCESS, TokenKind.REFRESH, TokenKind.API_KEY, TokenKind.AGENT));
    private static final Map<String, Object> INACTIVE = Map.of("active", false);

    private final ClientAuthentication clients;
    private final VerificationPipeline pipeline;
    private final Resources resources;

    private final FormLimits formLimits;

    IntrospectionResource(ClientAuthentication clients, VerificationPipeline pipeline, Resources resources, FormLimits formLimits) {
        this.formLimits = formLimits;
        this.clients = clients;
        this.pipeline = pipeline;
        this.resources = resources;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response introspect(MultivaluedMap<String, String> form, @Context HttpHeaders headers) {
        formLimits.check(form);
        Client caller = clients.authenticateConfidential(headers, form);
        String presented = form.getFirst("token");
        if (presented == null || presented.isBlank()) {
            throw OAuthError.invalidRequest("token is required");
        }
        Verification verification = pipeline.verify(presented, POLICY);
        Object answer = Optional.ofNullable(verification.isValid() ? verification.token() : null)
                .filter(token -> token.kind() != TokenKind.REFRESH || caller.clientId().equals(token.clientId()))
                .<Object>map(this::describe)
                .orElse(INACTIVE);
        return NoStore.ok(answer);
    }

    private Map<String, Object> describe(TokenRecord token) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("active", true);
        claims.put("scope", String.join(" ", token.scopes()));
        if (token.clientId() != null) {
            claims.put("client_id", token.clientId());
        }
        if (token.accountId() != null) {
            claims.put("sub", token.accountId().toString());
        } else if (token.clientId() != null) {
            claims.put("sub", token.clientId());
        }
        claims.put("token_type", switch (token.kind()) {
            case ACCESS -> "Bearer";
            case REFRESH -> "refresh_token";
            default -> "api_key";
        });
        claims.put("kind", token.kind().column());
        claims.put("iat", token.createdAt().getEpochSecond());
        if (token.expiresAt() != null) {
            claims.put("exp", token.expiresAt().getEpochSecond());
        }
        claims.put("iss", resources.issuer());
        if (token.kind() == TokenKind.ACCESS) {
            claims.put("aud", String.join(" ", token.audience()));
            claims.put("jti", token.id().toString());
        }
        if (token.environment() != null) {
            claims.put("environment", token.environment().value());
        }
        if (!token.ipAllowlist().isAnywhere()) {
            // Introspection is told the token, not where it is being used from: the resource server,
            // which knows its caller's address, must enforce the key's allowlist itself.
            claims.put("ip_allowlist", token.ipAllowlist().cidrs());
        }
        return claims;
    }
}
