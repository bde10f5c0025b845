package dev.gatehouse.testing;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Standard Webhooks receiver on loopback: it checks each delivery's signature itself, with the secret
 * it gave Gatehouse, the way a real receiver must (HMAC-SHA256 over {@code id.timestamp.body}).
 */
public class WebhookReceiver implements QuarkusTestResourceLifecycleManager {
    /** One delivery as received, and whether its signature was right. */
    public record Delivery(String id, String timestamp, String signature, String body, boolean signatureValid) {
    }

    private static final List<Delivery> RECEIVED = new CopyOnWriteArrayList<>();
    /** Deliveries still to refuse with 503, to test retries. */
    private static final AtomicInteger TO_REFUSE = new AtomicInteger();
    private static volatile byte[] secret;
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hooks/usage", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
            String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
            boolean refuse = TO_REFUSE.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            RECEIVED.add(new Delivery(id, timestamp, signature, body, verify(id, timestamp, signature, body)));
            exchange.sendResponseHeaders(refuse ? 503 : 204, -1);
            exchange.close();
        });
        server.start();
        return Map.of("gatehouse.usage.alerts.webhook-url",
                "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/usage",
                "gatehouse.usage.alerts.webhook-secret", "whsec_" + Base64.getEncoder().encodeToString(secret));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** Standard Webhooks: the header may list several space-separated "v1,<base64>" signatures; one must match. */
    private static boolean verify(String id, String timestamp, String header, String body) {
        if (id == null || timestamp == null || header == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            for (String signature : header.split(" ")) {
                if (signature.startsWith("v1,")
                        && MessageDigest.isEqual(expected, Base64.getDecoder().decode(signature.substring(3)))) {
                    return true;
                }
            }
            return false;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Every delivery so far whose body mentions {@code text} (a key's id). */
    public static List<Delivery> deliveriesMentioning(String text) {
        List<Delivery> found = new ArrayList<>();
        RECEIVED.stream().filter(delivery -> delivery.body().contains(text)).forEach(found::add);
        return found;
    }

    /** The next {@code count} deliveries are answered 503. */
    public static void refuseNext(int count) {
        TO_REFUSE.set(count);
    }
}
