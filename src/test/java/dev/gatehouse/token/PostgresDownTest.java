package dev.gatehouse.token;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.OAuthDriver;
import dev.gatehouse.testing.OAuthFlow;
import dev.gatehouse.testing.PostgresResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped under use (issue 9 §4): cached verifies go on; writes (minting a key, refreshing a
 * token, signing in) fail fast with 503 and Retry-After, within 2 seconds, never a 500 and never internals;
 * within 5 seconds of PostgreSQL returning everything works again, and what was acknowledged before
 * is still there.
 */
@QuarkusTest
class PostgresDownTest {
    private static final Duration FAST = Duration.ofSeconds(2);

    private static Response timed(String what, Supplier<Response> call) {
        long started = System.nanoTime();
        Response answer = call.get();
        long took = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertTrue(took < FAST.toMillis(), what + " took " + took + " ms");
        return answer;
    }

    private static void unavailable(Response answer) {
        answer.then().statusCode(503).header("Retry-After", notNullValue()).body("status", equalTo(503))
                .body(not(org.hamcrest.Matchers.containsString("SQL"))).body(not(org.hamcrest.Matchers.containsString("Exception")));
    }

    @Test
    void cachedVerifiesGoOnWritesFailFastAndEverythingReturnsWithPostgres() throws Exception {
        String email = Http.newEmail();
        String session = Http.signUp(email);
        Map<String, Object> acknowledged = Http.mintKey(session, List.of("profile:read"));
        String key = (String) acknowledged.get("rawKey");
        Http.me(key).then().statusCode(200);
        String refresh = OAuthDriver.tokensFor(session, OAuthFlow.DEMO_CLIENT, OAuthFlow.DEMO_SECRET, "profile:read").getString("refresh_token");

        PostgresResource.stopNow();
        try {
            timed("a cached verify", () -> Http.me(key)).then().statusCode(200);
            unavailable(timed("minting a key", () -> Http.createKey(session, Map.of("label", "during the outage", "scopes", List.of("profile:read")))));
            unavailable(timed("a refresh", () -> OAuthDriver.refresh(OAuthFlow.DEMO_CLIENT, OAuthFlow.DEMO_SECRET, refresh)));
            unavailable(timed("a sign-in", () -> given().contentType(ContentType.JSON)
                    .body(Map.of("email", email, "password", Http.PASSWORD)).post("/login")));
            timed("a cached verify, again", () -> Http.me(key)).then().statusCode(200);
        } finally {
            PostgresResource.startAgain();
        }

        long back = System.nanoTime();
        int status = 0;
        while (Duration.ofNanos(System.nanoTime() - back).compareTo(Duration.ofSeconds(5)) < 0 && status != 201) {
            status = Http.createKey(session, Map.of("label", "after the outage", "scopes", List.of("profile:read"))).statusCode();
            if (status != 201) {
                Thread.sleep(100);
            }
        }
        assertTrue(status == 201, "minting works again within 5 s of PostgreSQL returning, last answer " + status);
        Http.me(key).then().statusCode(200);
        Http.asPerson(session).get("/settings/api-keys/" + acknowledged.get("id")).then().statusCode(200);
        OAuthDriver.refresh(OAuthFlow.DEMO_CLIENT, OAuthFlow.DEMO_SECRET, refresh).then().statusCode(200);
    }
}
