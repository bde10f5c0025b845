package dev.gatehouse.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The configured providers and what their metadata says (OpenID Connect Discovery §4, RFC 8414): endpoints,
 * signing keys (cached by nimbus, refetched once for an unknown {@code kid}) and whether they send {@code iss}
 * with the authorization response (RFC 9207). Read on first use and kept; a provider that cannot be reached
 * is {@link UpstreamUnavailable}, tried again on the next sign-in.
 */
@ApplicationScoped
public class UpstreamProviders {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** A provider as the sign-in uses it. */
    public record Provider(String name, String displayName, UpstreamConfig.Provider config, String issuer, URI authorizationEndpoint,
            URI tokenEndpoint, URI userinfoEndpoint, JWKSource<SecurityContext> keys, List<JWSAlgorithm> idTokenAlgorithms,
            boolean sendsIss) {
    }

    /** For the sign-in page's buttons: name and what to call it. */
    public record Listed(String name, String displayName) {
    }

    private final UpstreamConfig config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, Provider> read = new ConcurrentHashMap<>();

    UpstreamProviders(UpstreamConfig config) {
        this.config = config;
        config.providers().forEach((name, provider) -> {
            if (!name.matches("[a-z0-9-]{1,40}")) {
                throw new IllegalStateException("gatehouse.upstream.\"" + name + "\": a provider's name is 1 to 40 of a-z, 0-9 and -");
            }
            if (!"https".equals(provider.issuer().getScheme()) && !isLoopback(provider.issuer())) {
                throw new IllegalStateException("gatehouse.upstream." + name + ".issuer must be https (loopback http for tests)");
            }
        });
    }

    public List<Listed> listed() {
        List<Listed> listed = new ArrayList<>();
        config.providers().forEach((name, provider) -> listed.add(new Listed(name, provider.displayName().orElse(name))));
        listed.sort(java.util.Comparator.comparing(Listed::displayName));
        return listed;
    }

    public boolean configured(String name) {
        return name != null && config.providers().containsKey(name);
    }

    /** The provider's metadata and keys, read once. */
    public Provider provider(String name) {
        UpstreamConfig.Provider configured = Optional.ofNullable(config.providers().get(name))
                .orElseThrow(() -> new IllegalArgumentException("no upstream provider " + name));
        return read.computeIfAbsent(name, key -> discover(key, configured));
    }

    private Provider discover(String name, UpstreamConfig.Provider configured) {
        String issuer = configured.issuer().toString();
        JsonNode metadata = getJson(URI.create(issuer.replaceAll("/$", "") + "/.well-known/openid-configuration"));
        // OIDC Discovery §4.3: the metadata's issuer must be the one configured, exactly.
        if (!issuer.equals(metadata.path("issuer").asText())) {
            throw new UpstreamUnavailable(name, "its metadata names issuer " + metadata.path("issuer").asText() + ", not " + issuer, null);
        }
        List<JWSAlgorithm> algorithms = new ArrayList<>();
        metadata.path("id_token_signing_alg_values_supported").forEach(alg -> {
            if (!"none".equals(alg.asText()) && !alg.asText().startsWith("HS")) {
                algorithms.add(JWSAlgorithm.parse(alg.asText()));
            }
        });
        if (algorithms.isEmpty()) {
            algorithms.add(JWSAlgorithm.RS256); // OIDC Core §15.1: every provider supports RS256
        }
        try {
            return new Provider(name, configured.displayName().orElse(name), configured, issuer,
                    endpoint(name, metadata, "authorization_endpoint"), endpoint(name, metadata, "token_endpoint"),
                    metadata.hasNonNull("userinfo_endpoint") ? endpoint(name, metadata, "userinfo_endpoint") : null,
                    JWKSourceBuilder.create(endpoint(name, metadata, "jwks_uri").toURL()).retrying(true).build(), List.copyOf(algorithms),
                    metadata.path("authorization_response_iss_parameter_supported").asBoolean(false));
        } catch (java.net.MalformedURLException e) {
            throw new UpstreamUnavailable(name, "its jwks_uri is not a URL", e);
        }
    }

    private static URI endpoint(String name, JsonNode metadata, String field) {
        String value = metadata.path(field).asText("");
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new UpstreamUnavailable(name, "its " + field + " is not a URL", e);
        }
        if (!"https".equals(uri.getScheme()) && !isLoopback(uri)) {
            throw new UpstreamUnavailable(name, "its " + field + " is not https", null);
        }
        return uri;
    }

    /** GET a JSON document from a provider; anything but a 200 with JSON is the provider being unavailable. */
    JsonNode getJson(URI uri) {
        return send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json").GET().build(), uri.getHost());
    }

    /** POST a form to a provider (the token request), answered with JSON. */
    JsonNode postForm(URI uri, Map<String, String> form, String basicAuth) {
        StringBuilder body = new StringBuilder();
        new LinkedHashMap<>(form).forEach((key, value) -> body.append(body.isEmpty() ? "" : "&")
                .append(java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8)).append('=')
                .append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8)));
        return send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json")
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", "Basic " + basicAuth)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), uri.getHost());
    }

    /** GET with a bearer token (the userinfo endpoint). */
    JsonNode getJson(URI uri, String accessToken) {
        return send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json")
                .header("Authorization", "Bearer " + accessToken).GET().build(), uri.getHost());
    }

    private JsonNode send(HttpRequest request, String host) {
        try {
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 400 || answer.statusCode() == 401) {
                // The provider refuses what was sent (a used code, a wrong secret): not an outage, and not retried.
                throw new Refused(host + " refused the request (" + answer.statusCode() + ")");
            }
            if (answer.statusCode() != 200) {
                throw new UpstreamUnavailable(host, "answered " + answer.statusCode(), null);
            }
            return JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new UpstreamUnavailable(host, "could not be read: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamUnavailable(host, "interrupted", e);
        }
    }

    /** The provider answered 400 or 401: what was sent was refused. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    private static boolean isLoopback(URI uri) {
        return "http".equals(uri.getScheme()) && ("127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost()));
    }
}
