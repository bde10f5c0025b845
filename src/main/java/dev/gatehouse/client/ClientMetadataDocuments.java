package dev.gatehouse.client;

import dev.gatehouse.web.LimitedBody;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatehouse.oauth.OAuthConfig;
import dev.gatehouse.scope.ScopeCatalogue;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jboss.logging.Logger;

/**
 * Client ID metadata documents (specs.md §8.1, CIMD): a {@code client_id} that is an https URL names a
 * JSON document describing the client. It is fetched with SSRF guards (public addresses only unless
 * configured, no redirects, size and time limits), validated ({@code client_id} must equal the URL,
 * {@code client_name} and {@code redirect_uris} present and valid) and cached. Such clients are public.
 */
@ApplicationScoped
public class ClientMetadataDocuments {
    private static final Logger LOG = Logger.getLogger(ClientMetadataDocuments.class);

    private final OAuthConfig.ClientMetadata config;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http;
    private final Cache<String, Optional<Client>> cache;
    private final List<String> allowedScopes;
    private final Semaphore fetching = new Semaphore(8);

    ClientMetadataDocuments(OAuthConfig config, ScopeCatalogue catalogue) {
        this.config = config.clientMetadata();
        HttpClient.Builder http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(this.config.timeout());
        this.config.trustStore().ifPresent(store -> http.sslContext(trusting(store, this.config.trustStorePassword().orElse(""))));
        this.http = http.build();
        this.cache = Caffeine.newBuilder().expireAfterWrite(this.config.maxCacheTime()).maximumSize(10_000).build();
        this.allowedScopes = catalogue.oauthScopes();
    }

    private static SSLContext trusting(java.nio.file.Path store, String password) {
        try (InputStream in = java.nio.file.Files.newInputStream(store)) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, password.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(keys);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("gatehouse.oauth.client-metadata.trust-store cannot be read: " + e.getMessage(), e);
        }
    }

    /** An https URL with a path other than "/", no fragment, no user info: the shape CIMD requires. */
    public static boolean isDocumentUrl(String clientId) {
        if (!clientId.startsWith("https://")) {
            return false;
        }
        try {
            URI uri = new URI(clientId);
            return uri.getHost() != null && uri.getRawPath() != null && uri.getRawPath().length() > 1
                    && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    public Optional<Client> fetch(String url) {
        if (!config.enabled()) {
            return Optional.empty();
        }
        Optional<Client> cached = cache.getIfPresent(url);
        if (cached != null) {
            return cached;
        }
        // Fetched outside the cache's lock, and only so many at once: a slow server costs one bounded wait.
        if (!fetching.tryAcquire()) {
            LOG.infof("Client metadata document %s not fetched: too many fetches in flight", url);
            return Optional.empty();
        }
        try {
            Optional<Client> loaded = load(url);
            cache.put(url, loaded);
            return loaded;
        } finally {
            fetching.release();
        }
    }

    private Optional<Client> load(String url) {
        CompletableFuture<HttpResponse<byte[]>> exchange = null;
        try {
            URI uri = URI.create(url);
            checkAddresses(uri.getHost());
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(config.timeout())
                    .header("Accept", "application/json").GET().build();
            exchange = http.sendAsync(request, info -> info.statusCode() == 200
                    ? new LimitedBody(config.maxBytes())
                    : HttpResponse.BodySubscribers.replacing(null));
            // One deadline for the whole exchange, body included.
            HttpResponse<byte[]> response = exchange.get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (response.statusCode() != 200) {
                throw new IllegalArgumentException("answered " + response.statusCode());
            }
            return Optional.of(toClient(url, json.readTree(response.body())));
        } catch (TimeoutException e) {
            exchange.cancel(true);
            LOG.infof("Client metadata document %s refused: no complete answer within %s", url, config.timeout());
            return Optional.empty();
        } catch (ExecutionException e) {
            LOG.infof("Client metadata document %s refused: %s", url, e.getCause().getMessage());
            return Optional.empty();
        } catch (IllegalArgumentException | IOException e) {
            LOG.infof("Client metadata document %s refused: %s", url, e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private void checkAddresses(String host) throws UnknownHostException {
        if (config.allowPrivateAddresses()) {
            return;
        }
        for (InetAddress address : InetAddress.getAllByName(host)) {
            if (!AddressPolicy.isPublic(address)) {
                throw new IllegalArgumentException("resolves to a non-public address");
            }
        }
    }

    private Client toClient(String url, JsonNode document) {
        if (!document.isObject()) {
            throw new IllegalArgumentException("is not a JSON object");
        }
        if (!url.equals(document.path("client_id").asText(null))) {
            throw new IllegalArgumentException("client_id does not equal the document's URL");
        }
        String name = document.path("client_name").asText("");
        if (name.isBlank()) {
            throw new IllegalArgumentException("has no client_name");
        }
        List<String> redirectUris = new ArrayList<>();
        document.path("redirect_uris").forEach(uri -> redirectUris.add(uri.asText()));
        if (redirectUris.isEmpty()) {
            throw new IllegalArgumentException("has no redirect_uris");
        }
        for (String redirect : redirectUris) {
            RedirectUris.problem(redirect, false).ifPresent(problem -> {
                throw new IllegalArgumentException("redirect URI " + redirect + " " + problem);
            });
        }
        String method = document.path("token_endpoint_auth_method").asText(Client.NONE);
        if (!Client.NONE.equals(method)) {
            throw new IllegalArgumentException("asks for " + method + "; documents describe public clients only");
        }
        return Client.of(url, name, null, Client.NONE, redirectUris, List.of("authorization_code", "refresh_token"),
                allowedScopes, false, false, "metadata_document", Map.of(), Instant.now());
    }
}
