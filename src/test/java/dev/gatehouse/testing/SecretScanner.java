package dev.gatehouse.testing;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * GitHub's side of secret scanning for tests (specs.md §10.2): P-256 key pairs made for the run, one
 * pinned in Gatehouse's configuration and others published over HTTP on loopback in GitHub's
 * {@code public_keys} shape, and signatures over report bodies as GitHub makes them (base64 DER ECDSA).
 */
public class SecretScanner implements QuarkusTestResourceLifecycleManager {
    public record SigningKey(String id, KeyPair pair) {
    }

    private static volatile SigningKey pinned;
    private static final Map<String, SigningKey> PUBLISHED = new LinkedHashMap<>();
    private static final AtomicInteger FETCHES = new AtomicInteger();
    private HttpServer server;

    /** The key Gatehouse knows from {@code gatehouse.secret-scanning.public-keys}. */
    public static SigningKey pinned() {
        return pinned;
    }

    /** The first key served at the keys URL. */
    public static synchronized SigningKey published() {
        return PUBLISHED.values().iterator().next();
    }

    /** GitHub rotates: a new key is served from now on, next to the old ones. */
    public static synchronized SigningKey rotate() {
        SigningKey key = newKey();
        PUBLISHED.put(key.id(), key);
        return key;
    }

    /** How often Gatehouse has fetched the keys URL. */
    public static int fetches() {
        return FETCHES.get();
    }

    /** A P-256 key that Gatehouse knows under no id. */
    public static SigningKey stranger(String id) {
        return new SigningKey(id, newKey().pair());
    }

    /** GitHub's {@code Github-Public-Key-Signature} for these exact bytes. */
    public static String sign(SigningKey key, byte[] body) {
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key.pair().getPrivate());
            signer.update(body);
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(SigningKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.pair().getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    private static SigningKey newKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            // GitHub's key identifiers are the SHA-256 of the key, in hex.
            String id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pair.getPublic().getEncoded()));
            return new SigningKey(id, pair);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static synchronized String document() {
        String keys = PUBLISHED.values().stream()
                .map(key -> "{\"key_identifier\":\"" + key.id() + "\",\"key\":\"" + pem(key).replace("\n", "\\n")
                        + "\",\"is_current\":" + (key == PUBLISHED.values().stream().reduce((a, b) -> b).orElseThrow()) + "}")
                .collect(Collectors.joining(","));
        return "{\"public_keys\":[" + keys + "]}";
    }

    @Override
    public Map<String, String> start() {
        try {
            pinned = newKey();
            synchronized (SecretScanner.class) {
                PUBLISHED.clear();
                rotate();
            }
            FETCHES.set(0);
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/meta/public_keys/secret_scanning", exchange -> {
                FETCHES.incrementAndGet();
                byte[] body = document().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return Map.of(
                    "gatehouse.secret-scanning.public-keys.\"" + pinned.id() + "\"", pem(pinned),
                    "gatehouse.secret-scanning.keys-url",
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/meta/public_keys/secret_scanning");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
