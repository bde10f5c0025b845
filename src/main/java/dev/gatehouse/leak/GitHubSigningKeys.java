package dev.gatehouse.leak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.Curve;
import dev.gatehouse.web.LimitedBody;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The keys GitHub signs secret scanning reports with (specs.md §10.2): pinned ones from configuration,
 * and those published at the keys URL, fetched when stale and once more when a report names an id we
 * have not seen (GitHub rotates keys), but never more often than the refetch interval allows.
 */
@ApplicationScoped
public class GitHubSigningKeys {
    private static final Logger LOG = Logger.getLogger(GitHubSigningKeys.class);
    /** GitHub's document holds a handful of keys; anything much larger is not it. */
    private static final int MAX_DOCUMENT_BYTES = 256 * 1024;

    /** Why a signature was not accepted; only for the log and the error message, never a secret. */
    enum Verdict { VALID, UNKNOWN_KEY, INVALID_SIGNATURE }

    private final SecretScanningConfig config;
    private final Clock clock;
    private final Map<String, PublicKey> pinned;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private volatile Map<String, PublicKey> published = Map.of();
    private volatile Instant publishedAt;
    /** Last fetch attempt, successful or not; guarded by {@code this}. */
    private Instant lastAttempt;

    GitHubSigningKeys(SecretScanningConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        Map<String, PublicKey> keys = new HashMap<>();
        config.publicKeys().forEach((id, pem) -> keys.put(id, parse(pem).orElseThrow(() -> new IllegalStateException(
                "gatehouse.secret-scanning.public-keys.\"" + id + "\" is not a PEM ECDSA P-256 public key"))));
        this.pinned = Map.copyOf(keys);
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(config.keysTimeout())
                .build();
    }

    /** Off unless some key can be known: then the endpoint answers 404. */
    public boolean enabled() {
        return !pinned.isEmpty() || config.keysUrl().isPresent();
    }

    /** Checks a base64 DER ECDSA P-256/SHA-256 signature over exactly these bytes, as received. */
    Verdict verify(String keyId, String signature, byte[] body) {
        Optional<PublicKey> key = find(keyId);
        if (key.isEmpty()) {
            return Verdict.UNKNOWN_KEY;
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(signature.strip());
        } catch (IllegalArgumentException e) {
            return Verdict.INVALID_SIGNATURE;
        }
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(key.get());
            verifier.update(body);
            return verifier.verify(der) ? Verdict.VALID : Verdict.INVALID_SIGNATURE;
        } catch (SignatureException e) {
            return Verdict.INVALID_SIGNATURE; // not DER at all
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA256withECDSA is not available", e);
        }
    }

    private Optional<PublicKey> find(String keyId) {
        PublicKey key = pinned.get(keyId);
        if (key != null || config.keysUrl().isEmpty()) {
            return Optional.ofNullable(key);
        }
        Instant fetched = publishedAt;
        if (fetched == null || !clock.instant().isBefore(fetched.plus(config.keysCacheTime()))) {
            refresh();
        }
        key = published.get(keyId);
        if (key == null) {
            refresh(); // GitHub may have rotated since we last asked
            key = published.get(keyId);
        }
        return Optional.ofNullable(key);
    }

    /**
     * Fetches the keys unless a fetch was tried within the refetch interval: a report naming a made-up id,
     * or a keys URL that is down, costs one call per interval at most. A failed fetch keeps the keys we had.
     */
    private synchronized void refresh() {
        Instant now = clock.instant();
        if (lastAttempt != null && now.isBefore(lastAttempt.plus(config.keysRefetchInterval()))) {
            return;
        }
        lastAttempt = now;
        URI url = config.keysUrl().orElseThrow();
        try {
            published = load(url);
            publishedAt = now;
            LOG.infof("Secret scanning signing keys fetched from %s: %d keys", url, published.size());
        } catch (IOException | IllegalArgumentException e) {
            LOG.warnf("Secret scanning signing keys not fetched from %s: %s", url, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Map<String, PublicKey> load(URI url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(config.keysTimeout())
                .header("Accept", "application/json").GET().build();
        HttpResponse<byte[]> response = LimitedBody.exchange(http, request, MAX_DOCUMENT_BYTES, config.keysTimeout());
        if (response.statusCode() != 200) {
            throw new IllegalArgumentException("answered " + response.statusCode());
        }
        JsonNode keys = json.readTree(response.body()).path("public_keys");
        if (!keys.isArray()) {
            throw new IllegalArgumentException("the answer has no public_keys array");
        }
        Map<String, PublicKey> found = new HashMap<>();
        for (JsonNode entry : keys) {
            String id = entry.path("key_identifier").asText("");
            Optional<PublicKey> key = parse(entry.path("key").asText(""));
            // Keys no longer current still sign reports sent before a rotation finished: all count.
            if (!id.isEmpty() && key.isPresent()) {
                found.put(id, key.get());
            } else {
                LOG.warnf("Secret scanning signing keys from %s: an entry without a usable P-256 key is skipped", url);
            }
        }
        return Map.copyOf(found);
    }

    /**
     * A PEM (or bare base64 DER) SubjectPublicKeyInfo holding an ECDSA P-256 key. Escaped line breaks are
     * accepted, since a PEM in a properties file or environment variable often arrives that way.
     */
    static Optional<PublicKey> parse(String pem) {
        String base64 = pem.replace("\\n", "\n")
                .replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        try {
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
            if (key instanceof ECPublicKey ec && Curve.P_256.equals(Curve.forECParameterSpec(ec.getParams()))) {
                return Optional.of(key);
            }
            return Optional.empty();
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }
}
