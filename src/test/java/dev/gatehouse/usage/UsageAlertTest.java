package dev.gatehouse.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.MailServer;
import dev.gatehouse.testing.MovableClock;
import dev.gatehouse.testing.WebhookReceiver;
import dev.gatehouse.token.UsageRecorder;
import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Set;
import java.util.UUID;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Seed 003's 24-hour high-usage alert through HTTP: the owner gets one mail (GreenMail) and the webhook
 * one event whose Standard Webhooks signature the receiver checks with its own secret, when a key's uses in
 * the rolling 24 hours reach the threshold (5 here); nothing more within the window; again once the clock
 * has moved past it and the key is used past the threshold again.
 */
@QuarkusTest
@TestProfile(UsageAlertTest.ThresholdOfFive.class)
class UsageAlertTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static class ThresholdOfFive implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(MailServer.class), new TestResourceEntry(WebhookReceiver.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gatehouse.usage.alerts.threshold", "5", "gatehouse.usage.alerts.retry-delay", "1s");
        }
    }

    @Inject
    MovableClock clock;
    @Inject
    UsageAlerts alerts;
    @Inject
    AgroalDataSource database;

    @AfterEach
    void putTimeBack() {
        clock.reset();
    }

    private static void callMe(String key, int times) {
        for (int i = 0; i < times; i++) {
            Http.me(key).then().statusCode(200);
        }
    }

    private static String signIn(String email) {
        return io.restassured.RestAssured.given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", Http.PASSWORD))
                .post("/login").then().statusCode(200).extract().cookie(Http.SESSION_COOKIE);
    }

    /** Waits until the key's flushed uses in the last 24 hours are {@code uses} (flush every 200 ms). */
    private static void awaitFlushed(String session, Object id, long uses) {
        await(() -> Http.asPerson(session).get("/settings/api-keys/" + id + "/usage").then().statusCode(200)
                .extract().jsonPath().getLong("last24h") == uses, "last24h == " + uses);
    }

    private static void await(Supplier<Boolean> condition, String what) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.get()) {
            if (System.currentTimeMillis() > deadline) {
                fail("Timed out waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    /** Several flushes and alert sweeps: long enough for an alert that should not come to have come. */
    private static void quietPeriod() throws InterruptedException {
        Thread.sleep(1_500);
    }

    private void assertSignedEvent(WebhookReceiver.Delivery delivery, Object id, String prefix, long uses) throws Exception {
        assertTrue(delivery.signatureValid(), "signature checked by the receiver with its secret: " + delivery.signature());
        assertTrue(delivery.id() != null && delivery.id().startsWith("msg_"), delivery.id());
        long sentAt = Long.parseLong(delivery.timestamp());
        assertTrue(Math.abs(sentAt - clock.instant().getEpochSecond()) < 300, "webhook-timestamp is now, in epoch seconds");
        JsonNode event = JSON.readTree(delivery.body());
        assertEquals("api_key.usage.threshold_crossed", event.path("type").asText());
        Instant.parse(event.path("timestamp").asText());
        JsonNode data = event.path("data");
        assertEquals(id, data.path("keyId").asText());
        assertEquals(prefix, data.path("keyPrefix").asText());
        assertEquals("test key", data.path("label").asText());
        assertEquals(uses, data.path("uses").asLong());
        assertEquals(5, data.path("threshold").asLong());
        Instant windowStart = Instant.parse(data.path("windowStart").asText());
        assertTrue(Duration.between(windowStart, clock.instant()).abs().compareTo(Duration.ofMinutes(1)) < 0, "window starts now");
    }

    @Test
    void oneMailAndOneSignedEventPerWindowAndAgainAfterIt() throws Exception {
        String email = Http.newEmail();
        String session = Http.signUp(email);
        Map<String, Object> minted = Http.mintKey(session, List.of("profile:read"));
        String key = (String) minted.get("rawKey");
        String id = (String) minted.get("id");
        String prefix = (String) minted.get("keyPrefix");

        callMe(key, 4);
        awaitFlushed(session, id, 4);
        quietPeriod();
        assertTrue(WebhookReceiver.deliveriesMentioning(id).isEmpty(), "below the threshold: no event");
        assertTrue(MailServer.messagesTo(email).isEmpty(), "below the threshold: no mail");

        callMe(key, 1);
        List<MimeMessage> mails = MailServer.messagesTo(email);
        assertEquals(1, mails.size());
        String text = mails.getFirst().getContent().toString();
        assertTrue(mails.getFirst().getSubject().contains(prefix), mails.getFirst().getSubject());
        assertTrue(text.contains("used 5 times in the last 24 hours"), text);
        assertFalse(text.contains(key) || mails.getFirst().getSubject().contains(key), "the key itself is never mailed");
        await(() -> WebhookReceiver.deliveriesMentioning(id).size() == 1, "the webhook event");
        WebhookReceiver.Delivery first = WebhookReceiver.deliveriesMentioning(id).getFirst();
        assertSignedEvent(first, id, prefix, 5);
        assertFalse(first.body().contains(key), "the key itself is never sent");

        // More use within the window: no second alert.
        callMe(key, 3);
        awaitFlushed(session, id, 8);
        quietPeriod();
        assertEquals(1, MailServer.messagesTo(email).size(), "one mail per window");
        assertEquals(1, WebhookReceiver.deliveriesMentioning(id).size(), "one event per window");

        // Past the window (24 hours after the alert) the rolling 24 hours start over: four uses are not
        // enough, the fifth alerts again.
        clock.advance(Duration.ofHours(25));
        session = signIn(email);
        callMe(key, 4);
        awaitFlushed(session, id, 4);
        quietPeriod();
        assertEquals(1, MailServer.messagesTo(email).size(), "four uses in the new 24 hours: no alert");
        callMe(key, 1);
        await(() -> MailServer.messagesTo(email).size() == 2, "the second window's mail");
        await(() -> WebhookReceiver.deliveriesMentioning(id).size() == 2, "the second window's event");
        WebhookReceiver.Delivery second = WebhookReceiver.deliveriesMentioning(id).get(1);
        assertSignedEvent(second, id, prefix, 5);
        assertNotEquals(first.id(), second.id(), "a new event, a new webhook-id");
    }

    /**
     * Several nodes flushing the same keys at once: each check runs on its own connection, as each node's
     * would, and for each key only one inserts the alert and sends. (Sixteen threads stand in for nodes.)
     */
    @Test
    void nodesCheckingAtOnceAlertOnce() throws Exception {
        String email = Http.newEmail();
        String session = Http.signUp(email);
        Set<UUID> ids = new java.util.HashSet<>();
        for (int k = 0; k < 6; k++) {
            ids.add(UUID.fromString((String) Http.mintKey(session, List.of("profile:read")).get("id")));
        }
        // The keys' uses as other nodes flushed them: at the threshold, with no request through this node.
        try (Connection connection = database.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "insert into token_usage_hour (token_id, hour, uses) values (?, date_trunc('hour', ?::timestamptz), 5)")) {
            for (UUID id : ids) {
                insert.setObject(1, id);
                insert.setObject(2, java.time.OffsetDateTime.ofInstant(clock.instant(), java.time.ZoneOffset.UTC));
                insert.executeUpdate();
            }
        }
        int nodes = 16;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(nodes);
        List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    return;
                }
                alerts.flushed(new UsageRecorder.Flushed(ids, List.of(), List.of()));
            }));
        }
        for (Thread thread : threads) {
            thread.join(20_000);
        }
        await(() -> MailServer.messagesTo(email).size() >= ids.size(), "one mail per key");
        quietPeriod();
        assertEquals(ids.size(), MailServer.messagesTo(email).size(), "one mail per key, not one per node");
        for (UUID id : ids) {
            assertEquals(1, WebhookReceiver.deliveriesMentioning(id.toString()).size(), "one event per key, not one per node");
        }
        try (Connection connection = database.getConnection();
                PreparedStatement count = connection.prepareStatement("select count(*) from usage_alert where token_id = any(?)")) {
            count.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            try (ResultSet row = count.executeQuery()) {
                row.next();
                assertEquals(ids.size(), row.getLong(1), "one alert row per key");
            }
        }
    }

    @Test
    void aFailedWebhookIsRetriedWithTheSameIdAndTheMailIsNotSentTwice() throws Exception {
        String email = Http.newEmail();
        String session = Http.signUp(email);
        Map<String, Object> minted = Http.mintKey(session, List.of("profile:read"));
        String id = (String) minted.get("id");
        WebhookReceiver.refuseNext(1);
        callMe((String) minted.get("rawKey"), 5);
        await(() -> WebhookReceiver.deliveriesMentioning(id).size() == 2, "the retry after a 503");
        List<WebhookReceiver.Delivery> deliveries = WebhookReceiver.deliveriesMentioning(id);
        assertEquals(deliveries.get(0).id(), deliveries.get(1).id(), "a retry is the same message");
        assertSignedEvent(deliveries.get(1), id, (String) minted.get("keyPrefix"), 5);
        quietPeriod();
        assertEquals(2, WebhookReceiver.deliveriesMentioning(id).size(), "delivered: no more retries");
        assertEquals(1, MailServer.messagesTo(email).size(), "the mail went out once");
        awaitFlushed(session, id, 5);
    }
}
