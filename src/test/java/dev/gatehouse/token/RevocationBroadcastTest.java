package dev.gatehouse.token;

import static dev.gatehouse.testing.Http.me;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Database;
import dev.gatehouse.testing.Http;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Revocation is never late (seeds 002 and 004: "revoked keys are rejected immediately"). With caches
 * that would otherwise hold a token for an hour, what evicts it is shown to be: the revoking node's own
 * eviction before it answers, and PostgreSQL's NOTIFY from another node's transaction.
 */
@QuarkusTest
@TestProfile(RevocationBroadcastTest.LongCache.class)
class RevocationBroadcastTest {
    /** Entries live an hour either way: only an eviction can make a revocation show. */
    public static class LongCache implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gatehouse.token-cache.ttl", "1h",
                    "gatehouse.revocation.degraded-cache-ttl", "1h",
                    "gatehouse.revocation.reconnect-delay", "2s");
        }
    }

    @Inject
    AgroalDataSource database;

    @Test
    void anotherNodesRevocationArrivesThroughPostgresNotify() throws Exception {
        awaitMode("trusted", Duration.ofSeconds(10));
        String session = Http.signUpSomeone();
        var key = Http.mintKey(session, List.of("profile:read"));
        String rawKey = (String) key.get("rawKey");
        me(rawKey).then().statusCode(200);

        // A change written without an announcement is not seen: the cached copy answers.
        Database.revokeAsAnotherNode(database, (String) key.get("id"), rawKey, false);
        me(rawKey).then().statusCode(200);

        Database.revokeAsAnotherNode(database, (String) key.get("id"), rawKey, true);
        assertTrue(refusedWithin(rawKey, Duration.ofMillis(500)), "the NOTIFY evicts the key here within 500 ms");
    }

    @Test
    void theRevokingNodeRefusesAtOnceEvenWhenItHearsNoBroadcast() throws Exception {
        String session = Http.signUpSomeone();
        var key = Http.mintKey(session, List.of("profile:read"));
        String rawKey = (String) key.get("rawKey");
        me(rawKey).then().statusCode(200);

        assertTrue(Database.terminateListeners(database) >= 1, "this node had a listener to lose");
        awaitMode("degraded", Duration.ofSeconds(5));

        Http.asPerson(session).delete("/settings/api-keys/" + key.get("id")).then().statusCode(204);
        me(rawKey).then().statusCode(401);
        awaitMode("trusted", Duration.ofSeconds(10));
    }

    private static boolean refusedWithin(String rawKey, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        do {
            if (me(rawKey).statusCode() == 401) {
                return true;
            }
        } while (System.nanoTime() < deadline);
        return false;
    }

    static String mode() {
        return dev.gatehouse.testing.Management.given().get("/q/health/ready").then().statusCode(200)
                .extract().path("checks.find { it.name == 'Revocation broadcast' }.data.mode");
    }

    static void awaitMode(String wanted, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!wanted.equals(mode()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(wanted, mode(), "revocation broadcast mode");
    }
}
