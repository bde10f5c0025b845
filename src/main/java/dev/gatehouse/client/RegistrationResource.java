package dev.gatehouse.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.oauth.NoStore;
import dev.gatehouse.oauth.OAuthError;
import dev.gatehouse.scope.ScopeCatalogue;
import io.quarkus.runtime.LaunchMode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /oauth2/register} (RFC 7591) for apps and agents' tools: public clients (PKCE, no secret)
 * with https or loopback redirect URIs. The answer is 201 with the client_id and every registered field
 * echoed (the MCP SDK requires {@code redirect_uris} back); errors are RFC 7591 §3.2.2's.
 */
@Path("/oauth2/register")
public class RegistrationResource {
    private static final Set<String> GRANTS = Set.of("authorization_code", "refresh_token");
    /** Free-text metadata kept and echoed as given. */
    private static final List<String> ECHOED = List.of("client_uri", "logo_uri", "tos_uri", "policy_uri",
            "software_id", "software_version", "application_type");

    private final Clients clients;
    private final List<String> allowedScopes;

    RegistrationResource(Clients clients, ScopeCatalogue catalogue) {
        this.clients = clients;
        this.allowedScopes = catalogue.oauthScopes();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response register(JsonNode request) {
        if (request == null || !request.isObject()) {
            throw metadata("The body must be a JSON object of client metadata");
        }
        List<String> redirectUris = checkRedirectUris(request.path("redirect_uris"));
        String method = checkAuthMethod(request.path("token_endpoint_auth_method"));
        List<String> grantTypes = checkGrantTypes(request.path("grant_types"));
        checkResponseTypes(request.path("response_types"));
        List<String> scopes = checkScope(request.path("scope"));
        String name = request.path("client_name").asText("").isBlank() ? "Unnamed client" : request.path("client_name").asText();
        Map<String, String> metadata = new LinkedHashMap<>();
        ECHOED.forEach(field -> {
            if (request.path(field).isTextual()) {
                metadata.put(field, request.path(field).asText());
            }
        });

        Client client = clients.save("dyn_" + UUID.randomUUID(), name, null, method, redirectUris, grantTypes, scopes,
                false, false, "registered", metadata);

        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("client_id", client.clientId());
        answer.put("client_id_issued_at", client.createdAt().getEpochSecond());
        answer.put("client_name", client.clientName());
        answer.put("redirect_uris", client.redirectUris());
        answer.put("token_endpoint_auth_method", client.tokenEndpointAuthMethod());
        answer.put("grant_types", client.grantTypes());
        answer.put("response_types", List.of("code"));
        answer.put("scope", String.join(" ", client.scopes()));
        answer.putAll(metadata);
        return NoStore.status(201, answer);
    }

    private static List<String> checkRedirectUris(JsonNode uris) {
        if (!uris.isArray() || uris.isEmpty()) {
            throw new OAuthError("invalid_redirect_uri", "redirect_uris must list at least one URI");
        }
        List<String> checked = new ArrayList<>();
        for (JsonNode uri : uris) {
            if (!uri.isTextual()) {
                throw new OAuthError("invalid_redirect_uri", "redirect_uris must be strings");
            }
            RedirectUris.problem(uri.asText(), LaunchMode.current() == LaunchMode.DEVELOPMENT).ifPresent(problem -> {
                throw new OAuthError("invalid_redirect_uri", uri.asText() + " " + problem);
            });
            checked.add(uri.asText());
        }
        return List.copyOf(new LinkedHashSet<>(checked));
    }

    private static String checkAuthMethod(JsonNode method) {
        if (method.isMissingNode() || method.isNull()) {
            return Client.NONE;
        }
        if (!Client.NONE.equals(method.asText())) {
            throw metadata("Only public clients register here: token_endpoint_auth_method must be none");
        }
        return Client.NONE;
    }

    private static List<String> checkGrantTypes(JsonNode grants) {
        if (grants.isMissingNode() || grants.isNull()) {
            return List.of("authorization_code", "refresh_token");
        }
        List<String> requested = new ArrayList<>();
        grants.forEach(grant -> requested.add(grant.asText()));
        if (!grants.isArray() || requested.isEmpty() || !GRANTS.containsAll(requested)) {
            throw metadata("grant_types may be authorization_code and refresh_token");
        }
        if (!requested.contains("authorization_code")) {
            throw metadata("grant_types must include authorization_code");
        }
        return List.copyOf(new LinkedHashSet<>(requested));
    }

    private static void checkResponseTypes(JsonNode types) {
        if (types.isMissingNode() || types.isNull()) {
            return;
        }
        if (!types.isArray() || types.size() != 1 || !"code".equals(types.get(0).asText())) {
            throw metadata("response_types must be [\"code\"]");
        }
    }

    private List<String> checkScope(JsonNode scope) {
        if (scope.isMissingNode() || scope.isNull() || scope.asText().isBlank()) {
            return allowedScopes;
        }
        List<String> requested = ScopeCatalogue.parse(scope.asText());
        List<String> unknown = requested.stream().filter(s -> !allowedScopes.contains(s)).toList();
        if (!unknown.isEmpty()) {
            throw metadata("Unknown scope " + String.join(" ", unknown));
        }
        return requested;
    }

    private static OAuthError metadata(String description) {
        return new OAuthError("invalid_client_metadata", description);
    }
}
