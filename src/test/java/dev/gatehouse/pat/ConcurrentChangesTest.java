package dev.gatehouse.pat;

import static dev.gatehouse.testing.Http.asPerson;
import static dev.gatehouse.testing.Http.me;
import static org.hamcrest.Matchers.notNullValue;

import dev.gatehouse.testing.Http;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * A change to a key made at the same moment as its revocation never brings it back: changes lock the
 * row and write only what they change, so a label or allowlist edit cannot write the old revoked_at back.
 */
@QuarkusTest
class ConcurrentChangesTest {

    @Test
    void anEditRacingARevocationNeverUndoesIt() throws Exception {
        String session = Http.signUpSomeone();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (int round = 0; round < 15; round++) {
                var key = Http.mintKey(session, List.of("profile:read"));
                String path = "/settings/api-keys/" + key.get("id");
                var edits = CompletableFuture.allOf(
                        CompletableFuture.runAsync(() -> asPerson(session).contentType(ContentType.JSON)
                                .body(Map.of("label", "renamed")).patch(path), pool),
                        CompletableFuture.runAsync(() -> asPerson(session).contentType(ContentType.JSON)
                                .body(Map.of("ipAllowlist", List.of())).patch(path), pool),
                        CompletableFuture.runAsync(() -> asPerson(session).delete(path).then().statusCode(204), pool));
                edits.get();
                asPerson(session).get(path).then().statusCode(200).body("revokedAt", notNullValue());
                me((String) key.get("rawKey")).then().statusCode(401);
            }
        }
    }
}
