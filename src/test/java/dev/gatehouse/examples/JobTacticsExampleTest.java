package dev.gatehouse.examples;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.ExampleFile;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.MailServer;
import dev.gatehouse.testing.MovableClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * examples/jobtactics.properties, seed 003: every request spends the user's credits, premium endpoints
 * more; "402 Payment Required: Insufficient credits for this operation. Top up at app.jobtactics.io/credits";
 * and one email alert when a key crosses the high-usage threshold within 24 hours.
 */
@QuarkusTest
@TestProfile(ExampleFile.JobTactics.class)
class JobTacticsExampleTest {
    @Inject
    MovableClock clock;

    @AfterEach
    void putTimeBack() {
        clock.reset();
    }

    private static RequestSpecification gateway(String method, String path, String key) {
        return given().header("X-Forwarded-Method", method).header("X-Forwarded-Uri", path)
                .header("Authorization", "Bearer " + key);
    }

    @Test
    void theHighUsageAlertComesOnceAndThe402SaysWhereToTopUp() throws Exception {
        String email = Http.newEmail();
        String session = Http.signUp(email);
        String key = Http.createKey(session, Map.of("label", "reporting", "scopes", List.of("public:read", "public:write")))
                .then().statusCode(201).extract().path("rawKey");
        clock.toStartOfNext(Duration.ofMinutes(1));

        // 1,000 reads of the balance page's API (1 credit each): the key crosses the example's threshold.
        for (int i = 1; i <= 1000; i++) {
            if (i % 120 == 0) {
                clock.toStartOfNext(Duration.ofMinutes(1)); // within the rate limit, 120 a minute
            }
            given().header("Authorization", "Bearer " + key).get("/v1/me").then().statusCode(200)
                    .header("X-Credits-Remaining", Integer.toString(2000 - i));
        }
        List<MimeMessage> alerts = awaitMail(email);
        assertEquals(1, alerts.size());
        assertTrue(alerts.getFirst().getSubject().toLowerCase().contains("usage"), alerts.getFirst().getSubject());

        // Premium generation costs 10; the free balance read costs nothing.
        clock.toStartOfNext(Duration.ofMinutes(1));
        for (int i = 1; i <= 100; i++) {
            gateway("POST", "/api/v1/public/templates/premium/7/generate", key).get("/forward-auth").then().statusCode(200)
                    .header("X-Credits-Used", "10").header("X-Credits-Remaining", Integer.toString(1000 - 10 * i));
        }
        gateway("POST", "/api/v1/public/templates/premium/7/generate", key).get("/forward-auth").then().statusCode(402)
                .body("status", equalTo(402))
                .body("message", endsWith("Top up at https://app.jobtactics.io/credits"));
        gateway("GET", "/api/v1/public/credits/balance", key).get("/forward-auth").then().statusCode(200)
                .header("X-Credits-Used", "0").header("X-Credits-Remaining", "0");
        Thread.sleep(1000);
        assertEquals(1, MailServer.messagesTo(email).size(), "one alert per key and window");
    }

    private static List<MimeMessage> awaitMail(String to) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        List<MimeMessage> messages = MailServer.messagesTo(to);
        while (messages.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            messages = MailServer.messagesTo(to);
        }
        return messages;
    }
}
