package dev.gatehouse.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.oauth.OAuthConfig;
import dev.gatehouse.oauth.OAuthError;
import dev.gatehouse.scope.ScopeCatalogue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RFC 7591 client metadata, read and checked, for dynamic registration (public clients only) and the admin
 * API (any client, and the operator's fields {@code skip_consent}, {@code access_token_lifetime},
 * {@code refresh_token_lifetime}). Errors are RFC 7591 §3.2.2's: {@code invalid_redirect_uri},
 * {@code invalid_client_metadata}.
 */
public record ClientMetadata(String name, List<String> redirectUris, String authMethod, List<String> grantTypes,
        List<String> scopes, boolean skipConsent, Client.TokenLifetimes lifetimes, Map<String, String> echoed,
        String idTokenSignedResponseAlg) {

    /** The ID-token algorithms a client may register; null registers the default, RS256. */
    static final Set<String> ID_TOKEN_ALGORITHMS = Set.of("RS256", "ES256");

    public static final String AUTHORIZATION_CODE = "authorization_code";
    public static final String REFRESH_TOKEN = "refresh_token";
    public static final String CLIENT_CREDENTIALS = "client_credentials";
    public static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    /** Free-text metadata kept and echoed as given. */
    private static final List<String> ECHOED = List.of("client_uri", "logo_uri", "tos_uri", "policy_uri",
            "software_id", "software_version", "application_type");
    /** Of those, the ones a page may link to or load: https only (never javascript:, data: or plain http). */
    private static final List<String> ECHOED_URLS = List.of("client_uri", "logo_uri", "tos_uri", "policy_uri");
    static final int LONGEST_NAME = 100;
    /** The name of a client that gave none; never anyone's to claim. */
    public static final String UNNAMED = "Unnamed client";
    static final int LONGEST_TEXT = 2000;

    /**
     * What a caller may register: the authentication methods, grants and scopes; whether the operator's
     * fields are read; the longest token lifetimes (the deployment's); whether loopback http is allowed.
     */
    public record Rules(Set<String> authMethods, Set<String> grantTypes, List<String> scopes, boolean operatorFields,
            Duration longestAccessToken, Duration longestRefreshToken, boolean developmentRedirects, int mostRedirectUris) {

        /** Dynamic registration (RFC 7591): public clients with the code flow, the people's scopes, a few redirect URIs. */
        public static Rules registration(ScopeCatalogue catalogue, boolean developmentRedirects) {
            return new Rules(Set.of(Client.NONE), Set.of(AUTHORIZATION_CODE, REFRESH_TOKEN), catalogue.oauthScopes(), false,
                    null, null, developmentRedirects, 10);
        }

        /** An operator's clients (the admin API, configuration): any kind, the services' scope too, their own lifetimes. */
        public static Rules operators(ScopeCatalogue catalogue, OAuthConfig oauth) {
            List<String> scopes = new ArrayList<>(catalogue.oauthScopes());
            scopes.add(ScopeCatalogue.VERIFY);
            return new Rules(Set.of(Client.NONE, Client.SECRET_BASIC, Client.SECRET_POST),
                    Set.of(AUTHORIZATION_CODE, REFRESH_TOKEN, CLIENT_CREDENTIALS, JWT_BEARER), List.copyOf(scopes), true,
                    oauth.accessTokenLifetime(), oauth.refreshTokenLifetime(), false, 100);
        }
    }

    /** Reads a JSON body of client metadata under {@code rules}. */
    public static ClientMetadata read(JsonNode request, Rules rules) {
        if (request == null || !request.isObject()) {
            throw invalid("The body must be a JSON object of client metadata");
        }
        String method = authMethod(request.path("token_endpoint_auth_method"), rules);
        List<String> grantTypes = grantTypes(request.path("grant_types"), method, rules);
        List<String> redirectUris = redirectUris(request.path("redirect_uris"), grantTypes.contains(AUTHORIZATION_CODE), rules);
        responseTypes(request.path("response_types"));
        List<String> scopes = scopes(request.path("scope"), rules);
        JsonNode nameNode = request.path("client_name");
        if (!nameNode.isMissingNode() && !nameNode.isNull() && !nameNode.isTextual()) {
            throw invalid("client_name must be a string");
        }
        String name = nameNode.asText("").isBlank() ? UNNAMED : nameNode.asText().strip();
        if (name.codePointCount(0, name.length()) > LONGEST_NAME || dev.gatehouse.web.DisplayText.hasHiddenCharacters(name)) {
            throw invalid("client_name must be at most " + LONGEST_NAME + " characters, with no control or invisible characters");
        }
        Map<String, String> echoed = new LinkedHashMap<>();
        ECHOED.forEach(field -> {
            JsonNode value = request.path(field);
            if (value.isMissingNode() || value.isNull()) {
                return;
            }
            if (!value.isTextual() || value.asText().length() > LONGEST_TEXT || dev.gatehouse.web.DisplayText.hasHiddenCharacters(value.asText())) {
                throw invalid(field + " must be a string of at most " + LONGEST_TEXT + " characters");
            }
            if (ECHOED_URLS.contains(field) && !isHttpsUrl(value.asText())) {
                throw invalid(field + " must be an https URL");
            }
            echoed.put(field, value.asText());
        });
        boolean skipConsent = false;
        Client.TokenLifetimes lifetimes = Client.TokenLifetimes.DEPLOYMENT;
        if (rules.operatorFields()) {
            JsonNode skip = request.path("skip_consent");
            if (!skip.isMissingNode() && !skip.isNull() && !skip.isBoolean()) {
                throw invalid("skip_consent must be true or false");
            }
            skipConsent = skip.asBoolean(false);
            lifetimes = new Client.TokenLifetimes(lifetime(request, "access_token_lifetime", rules.longestAccessToken()),
                    lifetime(request, "refresh_token_lifetime", rules.longestRefreshToken()));
        }
        JsonNode idTokenAlg = request.path("id_token_signed_response_alg");
        if (!idTokenAlg.isMissingNode() && !idTokenAlg.isNull()
                && (!idTokenAlg.isTextual() || !ID_TOKEN_ALGORITHMS.contains(idTokenAlg.asText()))) {
            throw invalid("id_token_signed_response_alg must be RS256 or ES256");
        }
        return new ClientMetadata(name, redirectUris, method, grantTypes, scopes, skipConsent, lifetimes, echoed,
                idTokenAlg.isTextual() ? idTokenAlg.asText() : null);
    }

    /** The metadata as RFC 7591 §3.2.1 answers it, with the client's id (and, by the caller, its secret once). */
    public static Map<String, Object> describe(Client client, boolean operatorFields) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("client_id", client.clientId());
        answer.put("client_id_issued_at", client.createdAt().getEpochSecond());
        answer.put("client_name", client.clientName());
        answer.put("redirect_uris", client.redirectUris());
        answer.put("token_endpoint_auth_method", client.tokenEndpointAuthMethod());
        answer.put("grant_types", client.grantTypes());
        answer.put("response_types", client.grantTypes().contains(AUTHORIZATION_CODE) ? List.of("code") : List.of());
        answer.put("scope", String.join(" ", client.scopes()));
        answer.put("id_token_signed_response_alg", client.idTokenAlgorithm());
        answer.putAll(client.metadata());
        if (operatorFields) {
            answer.put("skip_consent", client.skipConsent());
            answer.put("access_token_lifetime", seconds(client.lifetimes().accessToken()));
            answer.put("refresh_token_lifetime", seconds(client.lifetimes().refreshToken()));
            answer.put("origin", client.origin());
            if (client.previousSecret() != null) {
                answer.put("previous_secret_expires_at", client.previousSecret().until().getEpochSecond());
            }
        }
        return answer;
    }

    private static Long seconds(Duration duration) {
        return duration == null ? null : duration.toSeconds();
    }

    private static String authMethod(JsonNode method, Rules rules) {
        if (method.isMissingNode() || method.isNull()) {
            return rules.authMethods().size() == 1 ? rules.authMethods().iterator().next() : Client.SECRET_BASIC;
        }
        if (!method.isTextual() || !rules.authMethods().contains(method.asText())) {
            throw invalid(rules.authMethods().size() == 1
                    ? "Only public clients register here: token_endpoint_auth_method must be none"
                    : "token_endpoint_auth_method must be one of " + String.join(", ", new java.util.TreeSet<>(rules.authMethods())));
        }
        return method.asText();
    }

    private static List<String> grantTypes(JsonNode grants, String method, Rules rules) {
        if (grants.isMissingNode() || grants.isNull()) {
            return List.of(AUTHORIZATION_CODE, REFRESH_TOKEN);
        }
        List<String> requested = new ArrayList<>();
        grants.forEach(grant -> requested.add(grant.asText()));
        if (!grants.isArray() || requested.isEmpty() || !rules.grantTypes().containsAll(requested)) {
            throw invalid("grant_types may be " + String.join(", ", new java.util.TreeSet<>(rules.grantTypes())));
        }
        boolean confidential = !Client.NONE.equals(method);
        if (!confidential && !requested.contains(AUTHORIZATION_CODE)) {
            throw invalid("grant_types must include authorization_code for a public client");
        }
        if (!confidential && (requested.contains(CLIENT_CREDENTIALS) || requested.contains(JWT_BEARER))) {
            throw invalid("client_credentials and jwt-bearer need a confidential client (a token_endpoint_auth_method other than none)");
        }
        if (requested.contains(REFRESH_TOKEN) && !requested.contains(AUTHORIZATION_CODE) && !requested.contains(JWT_BEARER)) {
            throw invalid("refresh_token needs a grant that issues one: authorization_code or jwt-bearer");
        }
        return List.copyOf(new LinkedHashSet<>(requested));
    }

    private static List<String> redirectUris(JsonNode uris, boolean required, Rules rules) {
        if ((uris.isMissingNode() || uris.isNull()) && !required) {
            return List.of();
        }
        if (!uris.isArray() || (uris.isEmpty() && required)) {
            throw new OAuthError("invalid_redirect_uri", "redirect_uris must list at least one URI");
        }
        if (uris.size() > rules.mostRedirectUris()) {
            throw new OAuthError("invalid_redirect_uri", "redirect_uris may list at most " + rules.mostRedirectUris() + " URIs");
        }
        List<String> checked = new ArrayList<>();
        for (JsonNode uri : uris) {
            if (!uri.isTextual()) {
                throw new OAuthError("invalid_redirect_uri", "redirect_uris must be strings");
            }
            if (uri.asText().length() > LONGEST_TEXT) {
                throw new OAuthError("invalid_redirect_uri", "a redirect URI may be at most " + LONGEST_TEXT + " characters");
            }
            RedirectUris.problem(uri.asText(), rules.developmentRedirects()).ifPresent(problem -> {
                throw new OAuthError("invalid_redirect_uri", uri.asText() + " " + problem);
            });
            checked.add(uri.asText());
        }
        return List.copyOf(new LinkedHashSet<>(checked));
    }

    private static boolean isHttpsUrl(String value) {
        try {
            java.net.URI uri = new java.net.URI(value);
            return "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null && uri.getRawUserInfo() == null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static void responseTypes(JsonNode types) {
        if (types.isMissingNode() || types.isNull()) {
            return;
        }
        if (!types.isArray() || types.size() != 1 || !"code".equals(types.get(0).asText())) {
            throw invalid("response_types must be [\"code\"]");
        }
    }

    private static List<String> scopes(JsonNode scope, Rules rules) {
        if (scope.isMissingNode() || scope.isNull() || (scope.isTextual() && scope.asText().isBlank())) {
            return rules.scopes().stream().filter(s -> !ScopeCatalogue.VERIFY.equals(s)).toList();
        }
        if (!scope.isTextual()) {
            throw invalid("scope must be a space-separated string");
        }
        List<String> requested = ScopeCatalogue.parse(scope.asText());
        List<String> unknown = requested.stream().filter(s -> !rules.scopes().contains(s)).toList();
        if (!unknown.isEmpty()) {
            throw invalid("Unknown scope " + String.join(" ", unknown));
        }
        return requested;
    }

    private static Duration lifetime(JsonNode request, String field, Duration longest) {
        JsonNode value = request.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < 1 || value.asLong() > longest.toSeconds()) {
            throw invalid(field + " must be a whole number of seconds from 1 to " + longest.toSeconds() + " (the deployment's)");
        }
        return Duration.ofSeconds(value.asLong());
    }

    private static OAuthError invalid(String description) {
        return new OAuthError("invalid_client_metadata", description);
    }
}
