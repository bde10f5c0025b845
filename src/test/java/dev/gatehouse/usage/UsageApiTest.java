package dev.gatehouse.usage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.MovableClock;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /settings/api-keys/{id}/usage} through HTTP: uses per UTC day, zero-filled, after real calls
 * to {@code /v1/me} (written by the batched flush, 200 ms here), the rolling 24 hours, the newest few
 * source addresses, the {@code days} bounds, the owner-only rule, and retention.
 */
@QuarkusTest
@TestProfile(UsageApiTest.BehindLoopbackProxy.class)
class UsageApiTest {
    /** A trusted proxy on loopback, so tests can send from several addresses; three addresses kept per key. */
    public static class BehindLoopbackProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gatehouse.proxy.trusted-proxies", "127.0.0.1/32,::1/128",
                    "gatehouse.usage.history.recent-addresses", "3");
        }
    }

    @Inject
    MovableClock clock;
    @Inject
    UsageHistory history;
    @Inject
    AgroalDataSource database;

    @AfterEach
    void putTimeBack() {
        clock.reset();
    }

    private static JsonPath usage(String session, Object id, String query) {
        return Http.asPerson(session).get("/settings/api-keys/" + id + "/usage" + query)
                .then().statusCode(200).extract().jsonPath();
    }

    /** Polls the usage until {@code done} holds (the flush runs every 200 ms), failing after ten seconds. */
    private static JsonPath awaitUsage(String session, Object id, String query, Predicate<JsonPath> done) {
        long deadline = System.currentTimeMillis() + 10_000;
        JsonPath last;
        do {
            last = usage(session, id, query);
            if (done.test(last)) {
                return last;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        } while (System.currentTimeMillis() < deadline);
        fail("Usage never got there; last answer: " + last.prettify());
        return last;
    }

    private static void callMe(String key, int times, String forwardedFor) {
        for (int i = 0; i < times; i++) {
            var request = given().header("Authorization", "Bearer " + key);
            (forwardedFor == null ? request : request.header("X-Forwarded-For", forwardedFor)).get("/v1/me")
                    .then().statusCode(200);
        }
    }

    /** Signs in again: moving the clock by days ends the session (12 hours). */
    private static String signIn(String email) {
        return given().contentType(io.restassured.http.ContentType.JSON).body(Map.of("email", email, "password", Http.PASSWORD))
                .post("/login").then().statusCode(200).extract().cookie(Http.SESSION_COOKIE);
    }

    private static List<Long> uses(JsonPath usage) {
        return usage.getList("days.uses", Number.class).stream().map(Number::longValue).toList();
    }

    @Test
    void theSeriesCountsEachCallInItsUtcDayZeroFilled() {
        String email = Http.newEmail();
        String session = Http.signUp(email);
        Map<String, Object> minted = Http.mintKey(session, List.of("profile:read"));
        String key = (String) minted.get("rawKey");
        Object id = minted.get("id");

        JsonPath before = usage(session, id, "");
        assertEquals(30, before.getList("days").size());
        assertEquals(0, before.getLong("last24h"));
        assertTrue(uses(before).stream().allMatch(n -> n == 0), "a new key has no uses");

        callMe(key, 7, null);
        JsonPath after = awaitUsage(session, id, "", u -> u.getLong("last24h") == 7);
        assertEquals(id, after.getString("keyId"));
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        List<String> days = after.getList("days.day");
        assertEquals(30, days.size());
        assertEquals(today.toString(), days.get(29), "the series ends today (UTC)");
        for (int i = 0; i < 30; i++) {
            assertEquals(today.minusDays(29 - i).toString(), days.get(i), "one entry per day, oldest first");
        }
        assertEquals(7L, uses(after).get(29));
        assertEquals(7L, uses(after).stream().mapToLong(Long::longValue).sum(), "no use counted twice or elsewhere");

        // Two days later: three more uses today, the day between is zero, and 24 hours no longer hold the first seven.
        clock.advance(Duration.ofDays(2));
        session = signIn(email);
        callMe(key, 3, null);
        JsonPath later = awaitUsage(session, id, "?days=3", u -> u.getLong("last24h") == 3);
        assertEquals(List.of(7L, 0L, 3L), uses(later));
        assertEquals(List.of(today.toString(), today.plusDays(1).toString(), today.plusDays(2).toString()), later.getList("days.day"));
        assertEquals(List.of(3L), uses(usage(session, id, "?days=1")));
        JsonPath ninety = usage(session, id, "?days=90");
        assertEquals(90, ninety.getList("days").size());
        assertEquals(10L, uses(ninety).stream().mapToLong(Long::longValue).sum());
        // The key's own counters agree with the series.
        Http.asPerson(session).get("/settings/api-keys/" + id).then().statusCode(200).body("usageCount", equalTo(10));
    }

    @Test
    void daysOutsideOneToNinetyAreRefusedInTheErrorShape() {
        String session = Http.signUpSomeone();
        Object id = Http.mintKey(session, List.of("profile:read")).get("id");
        for (String days : List.of("0", "91", "-1", "abc", "1.5", "", "+5", "100000000000")) {
            Http.asPerson(session).queryParam("days", days).get("/settings/api-keys/" + id + "/usage")
                    .then().log().ifValidationFails().statusCode(400).body("status", equalTo(400)).body("error", equalTo("Bad Request"))
                    .body("message", equalTo("days must be a whole number from 1 to 90"));
        }
        for (String days : List.of("1", "90", "07")) {
            Http.asPerson(session).queryParam("days", days).get("/settings/api-keys/" + id + "/usage").then().statusCode(200)
                    .body("days.size()", equalTo(Integer.parseInt(days)));
        }
    }

    @Test
    void onlyTheOwnerSeesAKeysUsage() {
        String owner = Http.signUpSomeone();
        Map<String, Object> minted = Http.mintKey(owner, List.of("profile:read"));
        Object id = minted.get("id");
        String stranger = Http.signUpSomeone();
        Http.asPerson(stranger).get("/settings/api-keys/" + id + "/usage").then().statusCode(404)
                .body("status", equalTo(404)).body("message", notNullValue());
        // Bad days do not tell a stranger more than "not found".
        Http.asPerson(stranger).get("/settings/api-keys/" + id + "/usage?days=0").then().statusCode(404);
        Http.asPerson(owner).get("/settings/api-keys/" + UUID.randomUUID() + "/usage").then().statusCode(404);
        given().get("/settings/api-keys/" + id + "/usage").then().statusCode(401);
        // A key never reads usage, not even its own (the humans-only rule of the key API).
        given().header("Authorization", "Bearer " + minted.get("rawKey")).get("/settings/api-keys/" + id + "/usage")
                .then().statusCode(403);
        Http.asPerson(owner).get("/settings/api-keys/" + id + "/usage").then().statusCode(200).body("keyId", equalTo(id));
    }

    @Test
    void theNewestAddressesAreKeptWithTheirTimes() {
        String session = Http.signUpSomeone();
        Map<String, Object> minted = Http.mintKey(session, List.of("profile:read"));
        String key = (String) minted.get("rawKey");
        Object id = minted.get("id");
        for (int i = 1; i <= 5; i++) {
            callMe(key, 1, "203.0.113." + i);
            clock.advance(Duration.ofSeconds(1));
        }
        JsonPath seen = awaitUsage(session, id, "", u -> u.getList("recentAddresses").size() == 3
                && u.getString("recentAddresses[0].address").equals("203.0.113.5"));
        assertEquals(List.of("203.0.113.5", "203.0.113.4", "203.0.113.3"), seen.getList("recentAddresses.address"));
        List<Instant> times = seen.getList("recentAddresses.lastSeenAt", String.class).stream().map(Instant::parse).toList();
        assertTrue(times.get(0).isAfter(times.get(1)) && times.get(1).isAfter(times.get(2)), "newest first: " + times);
        assertTrue(Duration.between(times.get(0), clock.instant()).abs().compareTo(Duration.ofSeconds(30)) < 0);

        // An old address seen again moves to the top; the oldest kept one drops out. Without a forwarding
        // header the client is the proxy itself.
        callMe(key, 1, "203.0.113.1");
        clock.advance(Duration.ofSeconds(1));
        callMe(key, 2, null);
        JsonPath again = awaitUsage(session, id, "", u -> u.getString("recentAddresses[0].address").equals("127.0.0.1"));
        assertEquals(List.of("127.0.0.1", "203.0.113.1", "203.0.113.5"), again.getList("recentAddresses.address"));

        // The key page shows them under "Last used".
        String page = Http.asPerson(session).get("/account/api-tokens").then().statusCode(200).extract().asString();
        for (String address : List.of("127.0.0.1", "203.0.113.1", "203.0.113.5")) {
            assertTrue(page.contains("<code class=\"address\">" + address + "</code>"), "the page shows " + address);
        }
        assertFalse(page.contains("203.0.113.4"), "only the newest three");
        // And the key's chart of its last 30 days, from the same hourly counts.
        assertTrue(page.matches("(?s).*<svg class=\"usage\" role=\"img\"[^>]*aria-label=\"Uses in the last 30 days: [1-9][0-9]* uses? in all.*<rect .*"),
                "the chart counts the uses");
    }

    private long hourRows(Object id) throws Exception {
        try (Connection connection = database.getConnection();
                PreparedStatement query = connection.prepareStatement("select count(*) from token_usage_hour where token_id = ?")) {
            query.setObject(1, UUID.fromString(id.toString()));
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    @Test
    void countsOlderThanTheRetentionAreDeleted() throws Exception {
        String session = Http.signUpSomeone();
        Map<String, Object> minted = Http.mintKey(session, List.of("profile:read"));
        Object id = minted.get("id");
        callMe((String) minted.get("rawKey"), 2, null);
        awaitUsage(session, id, "", u -> u.getLong("last24h") == 2);
        assertEquals(1, hourRows(id));

        clock.advance(Duration.ofDays(89));
        history.prune();
        assertEquals(1, hourRows(id), "kept for 90 days");
        clock.advance(Duration.ofDays(1).plusHours(2));
        history.prune();
        assertEquals(0, hourRows(id), "gone after 90 days");
    }
}
