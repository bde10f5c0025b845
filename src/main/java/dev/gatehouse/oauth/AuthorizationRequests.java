package dev.gatehouse.oauth;

import dev.gatehouse.client.Client;
import dev.gatehouse.client.Clients;
import dev.gatehouse.client.RedirectUris;
import dev.gatehouse.scope.ScopeCatalogue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedMap;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads {@code /oauth2/authorize} parameters through named checks, in the order that decides how a
 * failure is answered: client and redirect URI first (page), then everything else (redirect).
 */
@ApplicationScoped
public class AuthorizationRequests {
    /** RFC 7636 §4.2: BASE64URL(SHA-256) is 43 characters. */
    private static final Pattern S256_CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final int MAX_STATE = 1024;

    private final Clients clients;
    private final Resources resources;

    AuthorizationRequests(Clients clients, Resources resources) {
        this.clients = clients;
        this.resources = resources;
    }

    public AuthorizationRequest parse(MultivaluedMap<String, String> params) {
        Client client = checkClient(params);
        String redirectUri = checkRedirectUri(client, params);
        String state = params.getFirst("state");
        try {
            checkNoRepeats(params, redirectUri, state);
            checkResponseType(params, redirectUri, state);
            String challenge = checkPkce(params, redirectUri, state);
            List<String> scopes = checkScope(client, params, redirectUri, state);
            List<String> targets = checkResource(params, redirectUri, state);
            java.util.Set<String> prompt = checkPrompt(params, redirectUri, state);
            boolean redirectUriGiven = params.containsKey("redirect_uri");
            return new AuthorizationRequest(client, redirectUri, redirectUriGiven, state, scopes, challenge, params.getFirst("nonce"),
                    targets, prompt);
        } catch (AuthorizationError refused) {
            throw refused.of(client);
        }
    }

    /**
     * OIDC Core §3.1.2.1 {@code prompt}: space-separated {@code none}, {@code login}, {@code consent},
     * {@code select_account}; {@code none} stands alone. Values this server does not know are ignored.
     */
    private static java.util.Set<String> checkPrompt(MultivaluedMap<String, String> params, String redirectUri, String state) {
        String prompt = params.getFirst("prompt");
        if (prompt == null || prompt.isBlank()) {
            return java.util.Set.of();
        }
        java.util.Set<String> values = java.util.Set.copyOf(java.util.Arrays.asList(prompt.strip().split("\\s+")));
        if (values.contains("none") && values.size() > 1) {
            throw AuthorizationError.redirect("invalid_request", "prompt=none cannot be combined with other values", redirectUri, state);
        }
        return values;
    }

    private Client checkClient(MultivaluedMap<String, String> params) {
        List<String> ids = params.get("client_id");
        if (ids == null || ids.size() != 1) {
            throw AuthorizationError.page("The request names no client (client_id).");
        }
        return clients.find(ids.getFirst()).orElseThrow(() -> AuthorizationError.page("Unknown client."));
    }

    /** Exact match, loopback on any port (RFC 9700 §4.1.3, RFC 8252 §7.3). Omitted only with one registered. */
    private static String checkRedirectUri(Client client, MultivaluedMap<String, String> params) {
        List<String> given = params.get("redirect_uri");
        if (given == null || given.isEmpty()) {
            if (client.redirectUris().size() == 1) {
                return client.redirectUris().getFirst();
            }
            throw AuthorizationError.page("The request names no redirect_uri.");
        }
        if (given.size() > 1) {
            throw AuthorizationError.page("redirect_uri is repeated.");
        }
        return RedirectUris.match(client.redirectUris(), given.getFirst())
                .orElseThrow(() -> AuthorizationError.page("This redirect_uri is not registered for the client."));
    }

    /** RFC 6749 §3.1: parameters must not be repeated. */
    private static void checkNoRepeats(MultivaluedMap<String, String> params, String redirectUri, String state) {
        for (var entry : params.entrySet()) {
            if (entry.getValue().size() > 1 && !entry.getKey().equals("resource")) {
                throw AuthorizationError.redirect("invalid_request", entry.getKey() + " is repeated", redirectUri, null);
            }
        }
        if (state != null && state.length() > MAX_STATE) {
            throw AuthorizationError.redirect("invalid_request", "state is too long", redirectUri, null);
        }
    }

    /** Only the code flow: implicit is refused (RFC 9700 §2.1.2). */
    private static void checkResponseType(MultivaluedMap<String, String> params, String redirectUri, String state) {
        String responseType = params.getFirst("response_type");
        if (responseType == null) {
            throw AuthorizationError.redirect("invalid_request", "response_type is required", redirectUri, state);
        }
        if (!responseType.equals("code")) {
            throw AuthorizationError.redirect("unsupported_response_type", "Only response_type=code is supported", redirectUri, state);
        }
    }

    /** PKCE for every client, S256 only (RFC 7636, RFC 9700 §2.1.1). */
    private static String checkPkce(MultivaluedMap<String, String> params, String redirectUri, String state) {
        String challenge = params.getFirst("code_challenge");
        if (challenge == null) {
            throw AuthorizationError.redirect("invalid_request", "code challenge required (PKCE, S256)", redirectUri, state);
        }
        if (!"S256".equals(params.getFirst("code_challenge_method"))) {
            throw AuthorizationError.redirect("invalid_request", "code_challenge_method must be S256", redirectUri, state);
        }
        if (!S256_CHALLENGE.matcher(challenge).matches()) {
            throw AuthorizationError.redirect("invalid_request", "code_challenge is not a base64url SHA-256", redirectUri, state);
        }
        return challenge;
    }

    /** Requested scopes must all be allowed to the client; none requested means all it is allowed. */
    private static List<String> checkScope(Client client, MultivaluedMap<String, String> params, String redirectUri, String state) {
        String scope = params.getFirst("scope");
        if (scope == null || scope.isBlank()) {
            return client.scopes();
        }
        List<String> requested = ScopeCatalogue.parse(scope);
        List<String> refused = requested.stream().filter(s -> !client.allowsScope(s)).toList();
        if (!refused.isEmpty()) {
            throw AuthorizationError.redirect("invalid_scope", "Not allowed for this client: " + String.join(" ", refused), redirectUri, state);
        }
        return requested;
    }

    /** RFC 8707: absolute URIs without fragment, each a resource this server issues tokens for. */
    private List<String> checkResource(MultivaluedMap<String, String> params, String redirectUri, String state) {
        List<String> given = params.get("resource");
        if (given == null || given.isEmpty()) {
            return List.of(resources.defaultResource());
        }
        for (String resource : given) {
            if (!isAbsoluteWithoutFragment(resource) || !resources.known(resource)) {
                throw AuthorizationError.redirect("invalid_target", "Unknown resource " + resource, redirectUri, state);
            }
        }
        // Stored canonical, so every token's aud is the identifier verifiers compare against.
        return List.of(resources.defaultResource());
    }

    static boolean isAbsoluteWithoutFragment(String value) {
        try {
            URI uri = new URI(value);
            return uri.isAbsolute() && uri.getRawFragment() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
