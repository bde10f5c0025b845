package dev.gatehouse.token;

import static dev.gatehouse.testing.Http.me;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Database;
import dev.gatehouse.testing.Http;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A node that lost the broadcast knows it: it says so in readiness (still ready: degraded is not down)
 * and in a metric, believes no cached token older than 250 ms, and when it listens again it drops its
 * cache once and counts the resubscription.
 */
@QuarkusTest
@TestProfile(DegradedBroadcastTest.SlowReconnect.class)
class DegradedBroadcastTest {
    /** Long normal caching, and a reconnect slow enough to watch the degraded mode. */
    public static class SlowReconnect implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gatehouse.token-cache.ttl", "1h", "gatehouse.revocation.reconnect-delay", "3s");
        }
    }

    @Inject
    AgroalDataSource database;

    @Test
    void aLostListenerDegradesTheNodeWhichThenRefusesWithin250msAndResubscribes() throws Exception {
        RevocationBroadcastTest.awaitMode("trusted", Duration.ofSeconds(10));
        assertEquals(1.0, Http.metric("gatehouse_revocation_broadcast_trusted"));
        double resubscribed = Http.metric("gatehouse_revocation_broadcast_resubscribed_total");
        String session = Http.signUpSomeone();
        var key = Http.mintKey(session, List.of("profile:read"));
        String rawKey = (String) key.get("rawKey");

        assertTrue(Database.terminateListeners(database) >= 1);
        RevocationBroadcastTest.awaitMode("degraded", Duration.ofSeconds(2));
        dev.gatehouse.testing.Management.given().get("/q/health/ready").then().statusCode(200);
        assertEquals(0.0, Http.metric("gatehouse_revocation_broadcast_trusted"));

        me(rawKey).then().statusCode(200);
        // Revoked by "another node" whose NOTIFY this node cannot hear now.
        Database.revokeAsAnotherNode(database, (String) key.get("id"), rawKey, true);
        long revokedAt = System.nanoTime();
        int status;
        do {
            status = me(rawKey).statusCode();
        } while (status == 200 && System.nanoTime() - revokedAt < Duration.ofSeconds(2).toNanos());
        long tookMillis = (System.nanoTime() - revokedAt) / 1_000_000;
        assertEquals(401, status);
        assertTrue(tookMillis <= 300, "degraded: a revocation shows within 250 ms (+ one request), took " + tookMillis + " ms");

        RevocationBroadcastTest.awaitMode("trusted", Duration.ofSeconds(10));
        assertEquals(resubscribed + 1, Http.metric("gatehouse_revocation_broadcast_resubscribed_total"));
        assertEquals(1.0, Http.metric("gatehouse_revocation_broadcast_trusted"));
    }
}
