package dev.gatehouse.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OAuth 2 flows as a client and a browser run them over HTTP: authorization request (with the consent
 * page when the client is not first-party), code exchange, client credentials, introspection, revocation.
 */
public final class OAuthFlow {
    /** The configured issuer; tests reach the server on a random port, metadata names this. */
    public static final String ISSUER = OAuthDriver.ISSUER;
    public static final String DEMO_CLIENT = OAuthDriver.DEMO_CLIENT;
    public static final String DEMO_SECRET = OAuthDriver.DEMO_SECRET;
    public static final String DASHBOARD_CLIENT = OAuthDriver.DASHBOARD;
    public static final String LOOPBACK_CALLBACK = OAuthDriver.REDIRECT;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern HIDDEN_INPUT = Pattern.compile(
            "<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">");

    private OAuthFlow() {
    }

    /** An RFC 7636 §4.1 code verifier: 43 unreserved characters. */
    public static String newVerifier() {
        return OAuthDriver.verifier();
    }

    /** BASE64URL(SHA-256(verifier)), RFC 7636 §4.2. */
    public static String s256(String verifier) {
        return OAuthDriver.challenge(verifier);
    }

    public static String newState() {
        return "state-" + Long.toHexString(RANDOM.nextLong());
    }

    /** The path (and query) of an absolute URL, to call it on the test server whatever host it names. */
    public static String pathOf(String url) {
        URI uri = URI.create(url);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    /** The decoded query parameters of a URL (first value of each). */
    public static Map<String, String> queryOf(String url) {
        Map<String, String> params = new LinkedHashMap<>();
        String query = URI.create(url).getRawQuery();
        if (query == null) {
            return params;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(name, value);
        }
        return params;
    }

    /** What an authorization request needs; {@code resource} may be null. */
    public record Request(String authorizePath, String clientId, String redirectUri, String scope, String resource,
            String state, String verifier) {
        public static Request of(String clientId, String redirectUri, String scope) {
            return new Request("/oauth2/authorize", clientId, redirectUri, scope, null, newState(), newVerifier());
        }

        public Request withResource(String value) {
            return new Request(authorizePath, clientId, redirectUri, scope, value, state, verifier);
        }

        public Request at(String path) {
            return new Request(path, clientId, redirectUri, scope, resource, state, verifier);
        }
    }

    /** GET /oauth2/authorize as the signed-in person, redirects not followed. */
    public static Response startAuthorization(String session, Request request) {
        RequestSpecification spec = given().redirects().follow(false)
                .cookie(Http.SESSION_COOKIE, session)
                .queryParam("response_type", "code")
                .queryParam("client_id", request.clientId())
                .queryParam("redirect_uri", request.redirectUri())
                .queryParam("scope", request.scope())
                .queryParam("state", request.state())
                .queryParam("code_challenge", s256(request.verifier()))
                .queryParam("code_challenge_method", "S256");
        if (request.resource() != null) {
            spec.queryParam("resource", request.resource());
        }
        return spec.get(request.authorizePath());
    }

    /** The hidden fields of the consent form, HTML entities decoded, in page order. */
    public static List<Map.Entry<String, String>> consentFields(String html) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        Matcher matcher = HIDDEN_INPUT.matcher(html);
        while (matcher.find()) {
            fields.add(Map.entry(unescape(matcher.group(1)), unescape(matcher.group(2))));
        }
        if (fields.isEmpty()) {
            throw new AssertionError("no hidden inputs on the consent page:\n" + html);
        }
        return fields;
    }

    /** Posts the consent form back with {@code decision}; redirects not followed. */
    public static Response decide(String session, String consentPage, String decision, String path) {
        RequestSpecification spec = given().redirects().follow(false)
                .cookie(Http.SESSION_COOKIE, session)
                .contentType(ContentType.URLENC);
        for (Map.Entry<String, String> field : consentFields(consentPage)) {
            spec.formParam(field.getKey(), field.getValue());
        }
        spec.formParam("decision", decision);
        return spec.post(path);
    }

    /**
     * Runs the authorization request to its redirect (approving on the consent page if one is shown) and
     * returns the redirect's query parameters; checks {@code state} came back.
     */
    public static Map<String, String> authorize(String session, Request request) {
        Response first = startAuthorization(session, request);
        Response redirect;
        if (first.statusCode() == 200) {
            redirect = decide(session, first.asString(), "allow", request.authorizePath());
        } else {
            redirect = first;
        }
        if (redirect.statusCode() != 303) {
            throw new AssertionError("authorization answered " + redirect.statusCode() + ":\n" + redirect.asString());
        }
        String location = redirect.header("Location");
        if (!location.startsWith(request.redirectUri())) {
            throw new AssertionError("redirected to " + location + ", not " + request.redirectUri());
        }
        Map<String, String> params = queryOf(location);
        if (!request.state().equals(params.get("state"))) {
            throw new AssertionError("state not returned: " + location);
        }
        return params;
    }

    /** The authorization code for {@code request}; fails if the redirect carries an error. */
    public static String code(String session, Request request) {
        Map<String, String> params = authorize(session, request);
        if (params.get("code") == null) {
            throw new AssertionError("no code: " + params);
        }
        return params.get("code");
    }

    /** A token request authenticated as the demo client (HTTP Basic). */
    public static RequestSpecification asDemoClient() {
        return given().auth().preemptive().basic(DEMO_CLIENT, DEMO_SECRET).contentType(ContentType.URLENC);
    }

    /** A token request from a public client, which only names itself. */
    public static RequestSpecification asPublicClient(String clientId) {
        return given().contentType(ContentType.URLENC).formParam("client_id", clientId);
    }

    /** Exchanges a code at {@code tokenPath}; {@code client} carries the client authentication. */
    public static Response exchange(RequestSpecification client, String tokenPath, String code, Request request) {
        RequestSpecification spec = client
                .formParam("grant_type", "authorization_code")
                .formParam("code", code)
                .formParam("redirect_uri", request.redirectUri())
                .formParam("code_verifier", request.verifier());
        if (request.resource() != null) {
            spec.formParam("resource", request.resource());
        }
        return spec.post(tokenPath);
    }

    /** The whole code flow with the demo client for a signed-in person; the 200 token answer as a map. */
    public static Map<String, Object> demoAppTokens(String session, String scope) {
        Request request = Request.of(DEMO_CLIENT, LOOPBACK_CALLBACK, scope);
        String code = code(session, request);
        return exchange(asDemoClient(), "/oauth2/token", code, request)
                .then().statusCode(200).extract().jsonPath().getMap("");
    }

    /** client_credentials as the demo client; the raw answer. */
    public static Response clientCredentials(String scope) {
        RequestSpecification spec = asDemoClient().formParam("grant_type", "client_credentials");
        if (scope != null) {
            spec.formParam("scope", scope);
        }
        return spec.post("/oauth2/token");
    }

    /** An access token from client_credentials as the demo client. */
    public static String clientCredentialsToken(String scope) {
        return clientCredentials(scope).then().statusCode(200).extract().jsonPath().getString("access_token");
    }

    /** POST /oauth2/introspect as the demo client; the raw answer. */
    public static Response introspect(String token) {
        return asDemoClient().formParam("token", token).post("/oauth2/introspect");
    }

    /** POST /oauth2/revoke as the demo client; the raw answer. */
    public static Response revoke(String token) {
        return asDemoClient().formParam("token", token).post("/oauth2/revoke");
    }

    /** Registers a public client by RFC 7591 with one loopback redirect URI; returns its client_id. */
    public static String registerPublicClient(String redirectUri) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("redirect_uris", List.of(redirectUri), "token_endpoint_auth_method", "none",
                        "grant_types", List.of("authorization_code", "refresh_token"), "response_types", List.of("code"),
                        "client_name", "Test public client"))
                .post("/oauth2/register")
                .then().statusCode(201).extract().jsonPath().getString("client_id");
    }

    private static String unescape(String html) {
        return html.replace("&quot;", "\"").replace("&#39;", "'").replace("&#x27;", "'")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
