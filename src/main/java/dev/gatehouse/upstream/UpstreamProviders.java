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
    /**
     * How long a provider whose metadata could not be read is not asked again: sign-ins meanwhile fail at once
     * (503, Retry-After this), rather than each waiting out the timeout against a provider that is down.
     */
    static final Duration REMEMBER_FAILURE = Duration.ofSeconds(30);
    /** The most Gatehouse reads of any answer of a provider's: metadata, tokens, user info are a few KiB. */
    static final int MAX_ANSWER_BYTES = 256 * 1024;

    /** A provider as the sign-in uses it. */
    public record Provider(String name, String displayName, UpstreamConfig.Provider config, String issuer, URI authorizationEndpoint,
            URI tokenEndpoint, URI userinfoEndpoint, JWKSource<SecurityContext> keys, List<JWSAlgorithm> idTokenAlgorithms,
            boolean sendsIss, List<String> scopes) {
        public boolean github() {
            return config.kind() == UpstreamConfig.Kind.GITHUB;
        }

        /** GitHub's API, where the user and their emails are read. */
        URI api(String path) {
            return URI.create(config.apiUrl().orElse(URI.create("https://api.github.com")).toString().replaceAll("/$", "") + path);
        }
    }

    /** For the sign-in page's buttons: name and what to call it. */
    public record Listed(String name, String displayName) {
    }

    private final UpstreamConfig config;
    // HTTP/1.1: the default HTTP/2 client asks a plain-http server to upgrade (h2c) on the first request, and a
    // server may then lose a POST body (another Gatehouse did: its token endpoint saw no form).
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, Provider> read = new ConcurrentHashMap<>();
    private final Map<String, java.time.Instant> failedUntil = new ConcurrentHashMap<>();
    private final java.time.Clock clock;

    UpstreamProviders(UpstreamConfig config, java.time.Clock clock) {
        this.config = config;
        this.clock = clock;
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

    /** What to call a configured provider. */
    public String displayName(String name) {
        UpstreamConfig.Provider provider = config.providers().get(name);
        return provider == null ? name : provider.displayName().orElse(name);
    }

    public boolean configured(String name) {
        return name != null && config.providers().containsKey(name);
    }

    /** The provider's metadata and keys, read once; a failure to read them is remembered for {@link #REMEMBER_FAILURE}. */
    public Provider provider(String name) {
        UpstreamConfig.Provider configured = Optional.ofNullable(config.providers().get(name))
                .orElseThrow(() -> new IllegalArgumentException("no upstream provider " + name));
        Provider known = read.get(name);
        if (known != null) {
            return known;
        }
        java.time.Instant failed = failedUntil.get(name);
        if (failed != null && clock.instant().isBefore(failed)) {
            throw new UpstreamUnavailable(name, "could not be read moments ago", null);
        }
        try {
            return read.computeIfAbsent(name, key -> discover(key, configured));
        } catch (Refused e) {
            failedUntil.put(name, clock.instant().plus(REMEMBER_FAILURE));
            throw new UpstreamUnavailable(name, "refused to give its metadata", e);
        } catch (UpstreamUnavailable e) {
            failedUntil.put(name, clock.instant().plus(REMEMBER_FAILURE));
            throw e;
        }
    }

    private Provider discover(String name, UpstreamConfig.Provider configured) {
        String issuer = configured.issuer().toString();
        if (configured.kind() == UpstreamConfig.Kind.GITHUB) {
            // GitHub publishes no metadata: its documented endpoints, under the configured web address.
            String web = issuer.replaceAll("/$", "");
            return new Provider(name, configured.displayName().orElse(name), configured, web, URI.create(web + "/login/oauth/authorize"),
                    URI.create(web + "/login/oauth/access_token"), null, null, List.of(), false,
                    configured.scopes().orElse(List.of("read:user", "user:email")));
        }
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
                    endpoint(name, configured, metadata, "authorization_endpoint"), endpoint(name, configured, metadata, "token_endpoint"),
                    metadata.hasNonNull("userinfo_endpoint") ? endpoint(name, configured, metadata, "userinfo_endpoint") : null,
                    // Bounded: 5 s to connect and to read, at most 512 KiB of keys.
                    JWKSourceBuilder.create(endpoint(name, configured, metadata, "jwks_uri").toURL(),
                            new com.nimbusds.jose.util.DefaultResourceRetriever(5_000, 5_000, 512 * 1024)).retrying(true).build(),
                    List.copyOf(algorithms),
                    metadata.path("authorization_response_iss_parameter_supported").asBoolean(false),
                    configured.scopes().orElse(List.of("openid", "email", "profile")));
        } catch (java.net.MalformedURLException e) {
            throw new UpstreamUnavailable(name, "its jwks_uri is not a URL", e);
        }
    }

    private static URI endpoint(String name, UpstreamConfig.Provider configured, JsonNode metadata, String field) {
        String value = metadata.path(field).asText("");
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new UpstreamUnavailable(name, "its " + field + " is not a URL", e);
        }
        // https only; plain http to loopback only for a provider that is itself on loopback (tests), so no
        // provider's metadata can point Gatehouse at services on its own host.
        if (!"https".equals(uri.getScheme()) && !(isLoopback(uri) && isLoopback(configured.issuer()))) {
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

    /** GET with a bearer token (the userinfo endpoint; GitHub's API, which wants a User-Agent). */
    JsonNode getJson(URI uri, String accessToken) {
        return send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json")
                .header("User-Agent", "Gatehouse").header("Authorization", "Bearer " + accessToken).GET().build(), uri.getHost());
    }

    private JsonNode send(HttpRequest request, String host) {
        try {
            HttpResponse<byte[]> answer = dev.gatehouse.web.LimitedBody.exchange(http, request, MAX_ANSWER_BYTES, TIMEOUT);
            if (answer.statusCode() == 400 || answer.statusCode() == 401) {
                // The provider refuses what was sent (a used code, a wrong secret): not an outage, and not retried.
                String error;
                try {
                    error = JSON.readTree(answer.body()).path("error").asText("");
                } catch (IOException e) {
                    error = "";
                }
                // The OAuth error code only (RFC 6749 §5.2): a word an operator can look up, never a description.
                throw new Refused(host + " refused the request (" + answer.statusCode() + " " + error.replaceAll("[^a-z_]", "") + ")");
            }
            if (answer.statusCode() != 200) {
                throw new UpstreamUnavailable(host, "answered " + answer.statusCode(), null);
            }
            return JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new UpstreamUnavailable(host, "could not be read: " + e.getMessage(), e);
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
