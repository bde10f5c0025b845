package dev.gatehouse.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatehouse.oauth.OAuthConfig;
import dev.gatehouse.scope.ScopeCatalogue;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.SocketAddress;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private final HostResolver resolver;
    private final Cache<String, Optional<Client>> cache;
    private final List<String> allowedScopes;
    private final Semaphore fetching = new Semaphore(8);

    ClientMetadataDocuments(OAuthConfig config, ScopeCatalogue catalogue, Vertx vertx, HostResolver resolver) {
        this.config = config.clientMetadata();
        this.resolver = resolver;
        HttpClientOptions options = new HttpClientOptions()
                .setSsl(true).setVerifyHost(true).setForceSni(true)
                .setConnectTimeout((int) this.config.timeout().toMillis())
                .setKeepAlive(false).setMaxPoolSize(8);
        this.config.trustStore().ifPresent(store -> options.setTrustOptions(
                new PfxOptions().setPath(store.toString()).setPassword(this.config.trustStorePassword().orElse(""))));
        this.http = vertx.createHttpClient(options);
        this.cache = Caffeine.newBuilder().expireAfterWrite(this.config.maxCacheTime()).maximumSize(10_000).build();
        this.allowedScopes = catalogue.oauthScopes();
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

    /**
     * Fetches and checks one document. The host is resolved here, every address checked, and the
     * connection made to the very address that was checked (Vert.x {@code RequestOptions.setServer}), while
     * TLS still verifies the certificate for the host name: a DNS answer that changes between the check and
     * the connection (rebinding) cannot point the fetch somewhere else.
     */
    private Optional<Client> load(String url) {
        java.util.concurrent.atomic.AtomicReference<HttpClientRequest> inFlight = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            URI uri = URI.create(url);
            InetAddress address = checkedAddress(uri.getHost());
            int port = uri.getPort() == -1 ? 443 : uri.getPort();
            String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setSsl(true)
                    .setHost(uri.getHost()).setPort(port).setURI(target)
                    .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                    .setTimeout(config.timeout().toMillis())
                    .putHeader("Accept", "application/json");
            Promise<Buffer> body = Promise.promise();
            http.request(request).compose(sent -> {
                inFlight.set(sent);
                return sent.send();
            }).onSuccess(response -> {
                if (response.statusCode() != 200) {
                    body.tryFail(new IllegalArgumentException("answered " + response.statusCode()));
                    response.request().reset();
                    return;
                }
                Buffer read = Buffer.buffer();
                response.handler(chunk -> {
                    if (read.length() + chunk.length() > config.maxBytes()) {
                        body.tryFail(new IllegalArgumentException("is larger than " + config.maxBytes() + " bytes"));
                        response.request().reset();
                    } else {
                        read.appendBuffer(chunk);
                    }
                });
                response.exceptionHandler(body::tryFail);
                response.endHandler(done -> body.tryComplete(read));
            }).onFailure(body::tryFail);
            // One deadline for the whole exchange, body included.
            Buffer document = body.future().toCompletionStage().toCompletableFuture()
                    .get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
            return Optional.of(toClient(url, json.readTree(document.getBytes())));
        } catch (TimeoutException e) {
            // The request's own timeout is per read; this deadline is for the whole exchange. Close it here,
            // or a server that drips a byte at a time would keep the connection for as long as it likes.
            HttpClientRequest abandoned = inFlight.get();
            if (abandoned != null) {
                abandoned.reset();
            }
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

    /** The address to connect to: the host's first, once every address it resolves to has passed {@link AddressPolicy}. */
    private InetAddress checkedAddress(String host) throws UnknownHostException {
        List<InetAddress> addresses = resolver.resolve(host);
        if (addresses.isEmpty()) {
            throw new UnknownHostException(host);
        }
        if (!config.allowPrivateAddresses()) {
            for (InetAddress address : addresses) {
                if (!AddressPolicy.isPublic(address)) {
                    throw new IllegalArgumentException("resolves to a non-public address");
                }
            }
        }
        return addresses.getFirst();
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
        // The same rules as a registered client's name: it is shown on the consent page.
        if (name.codePointCount(0, name.length()) > ClientMetadata.LONGEST_NAME || dev.gatehouse.web.DisplayText.hasHiddenCharacters(name)) {
            throw new IllegalArgumentException("client_name is too long or holds control or invisible characters");
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
