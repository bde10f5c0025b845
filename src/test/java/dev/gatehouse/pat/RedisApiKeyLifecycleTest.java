package dev.gatehouse.pat;

import static dev.gatehouse.testing.Http.me;
import static dev.gatehouse.testing.Http.mintKey;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.WithRedis;
import io.agroal.api.AgroalDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The key lifecycle with Redis as shared hot state, plus what only Redis gives: other nodes hear of revocations. */
@QuarkusTest
@TestProfile(WithRedis.class)
class RedisApiKeyLifecycleTest extends ApiKeyLifecycleContract {
    @Inject
    RedisDataSource redis;

    @Inject
    AgroalDataSource database;

    @Override
    String expectedHotStateMode() {
        return "redis";
    }

    /**
     * Another node revokes a key: it writes PostgreSQL and broadcasts on Redis. This node still holds the
     * key in its cache (so it keeps answering 200 from memory) until the broadcast evicts it; then the
     * next request sees the revocation, well before the cache TTL.
     */
    @Test
    void revocationByAnotherNodeTakesEffectHereThroughRedis() throws Exception {
        String session = Http.signUpSomeone();
        var key = mintKey(session, List.of("profile:read"));
        String rawKey = (String) key.get("rawKey");
        me(rawKey).then().statusCode(200);

        try (Connection connection = database.getConnection();
                PreparedStatement revoke = connection.prepareStatement("update token set revoked_at = now() where id = ?::uuid")) {
            revoke.setString(1, (String) key.get("id"));
            revoke.executeUpdate();
        }
        me(rawKey).then().statusCode(200); // served from this node's cache: no database read per request

        String hashHex = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(rawKey.getBytes(StandardCharsets.UTF_8)));
        redis.pubsub(String.class).publish("gatehouse:token-changed", hashHex);

        long deadline = System.currentTimeMillis() + 1000;
        int status;
        do {
            status = me(rawKey).statusCode();
        } while (status != 401 && System.currentTimeMillis() < deadline);
        assertTrue(status == 401, "revoked elsewhere, evicted here through Redis within a second");
    }

    /** A cached verify touches neither PostgreSQL nor Redis: both servers' own counters stand still. */
    @Test
    void verifyingACachedKeyTouchesNeitherPostgresNorRedis() {
        String rawKey = Http.mintRawKey(Http.signUpSomeone(), "profile:read");
        me(rawKey).then().statusCode(200);
        double databaseLookups = Http.metric("gatehouse_token_lookups_total{source=\"database\"}");
        long redisCommands = redisCommandsProcessed();

        for (int i = 0; i < 20; i++) {
            me(rawKey).then().statusCode(200);
        }

        assertEquals(databaseLookups, Http.metric("gatehouse_token_lookups_total{source=\"database\"}"));
        // Reading the counter is itself one command.
        assertEquals(redisCommands + 1, redisCommandsProcessed(), "no Redis command per verify");
    }

    private long redisCommandsProcessed() {
        String stats = redis.execute("INFO", "stats").toString();
        return stats.lines().filter(line -> line.startsWith("total_commands_processed:"))
                .mapToLong(line -> Long.parseLong(line.substring(line.indexOf(':') + 1).strip()))
                .findFirst().orElseThrow();
    }

    @Test
    void failedSignInsAreCountedInRedis() {
        String email = Http.newEmail();
        Http.signUp(email);
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", "wrong password!"))
                .post("/login").then().statusCode(401);
        List<String> counters = redis.key().keys("gatehouse:login-failures*");
        assertTrue(!counters.isEmpty(), "failure counters live in Redis, shared by every node");
    }
}
