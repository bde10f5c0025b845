package dev.gatehouse.housekeeping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.MovableClock;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Housekeeping (issue 9 §5) against PostgreSQL: what is revoked or expired past the retention goes (with
 * its dependent rows), what is live stays, audit events go after their own retention, and a node that
 * finds another at work deletes nothing. Time is moved, not waited for.
 */
@QuarkusTest
class HousekeepingTest {
    @Inject
    Housekeeping housekeeping;

    @Inject
    MovableClock clock;

    @Inject
    AgroalDataSource database;

    private long count(String sql, Object parameter) throws Exception {
        return dev.gatehouse.testing.Database.count(database, sql, parameter);
    }

    @Test
    void whatIsRevokedOrExpiredPastItsRetentionGoesAndWhatIsLiveStays() throws Exception {
        String email = Http.newEmail();
        String session = Http.signUp(email);
        Map<String, Object> revoked = Http.mintKey(session, List.of("profile:read"));
        Http.asPerson(session).delete("/settings/api-keys/" + revoked.get("id")).then().statusCode(204);
        Map<String, Object> expiring = Http.mintKey(session, List.of("profile:read"), Instant.now().plus(Duration.ofDays(2)));
        Map<String, Object> live = Http.mintKey(session, List.of("profile:read"));
        UUID account = UUID.fromString(dev.gatehouse.testing.Operator.asOperator().queryParam("email", email).get("/admin/accounts")
                .then().statusCode(200).extract().path("accounts[0].id"));
        assertTrue(count("select count(*) from token where account_id = ?", account) >= 4, "three keys and a session");

        try {
            clock.advance(Duration.ofDays(20));
            housekeeping.run();
            assertEquals(1, count("select count(*) from token where id = ?", UUID.fromString((String) revoked.get("id"))),
                    "revoked 20 days ago: kept for now");

            clock.advance(Duration.ofDays(20));
            Map<String, Long> deleted = housekeeping.run();
            assertTrue(deleted.get("tokens") >= 3, "the revoked key, the expired key and the session: " + deleted);
            assertEquals(0, count("select count(*) from token where id = ?", UUID.fromString((String) revoked.get("id"))));
            assertEquals(0, count("select count(*) from token where id = ?", UUID.fromString((String) expiring.get("id"))));
            assertEquals(0, count("select count(*) from token where account_id = ? and kind = 'session'", account));
            assertEquals(1, count("select count(*) from token where id = ?", UUID.fromString((String) live.get("id"))), "live key kept");
            assertTrue(count("select count(*) from audit_event where account_id = ?", account) > 0, "audit events kept a year");

            clock.advance(Duration.ofDays(366));
            housekeeping.run();
            assertEquals(0, count("select count(*) from audit_event where account_id = ?", account), "past the audit retention");
        } finally {
            clock.reset();
        }
        Http.me((String) live.get("rawKey")).then().statusCode(200);
        Http.me((String) revoked.get("rawKey")).then().statusCode(401);
    }

    @Test
    void aNodeThatFindsAnotherAtWorkDeletesNothing() throws Exception {
        String session = Http.signUpSomeone();
        Map<String, Object> revoked = Http.mintKey(session, List.of("profile:read"));
        Http.asPerson(session).delete("/settings/api-keys/" + revoked.get("id")).then().statusCode(204);
        try (Connection other = database.getConnection()) {
            other.createStatement().execute("select pg_advisory_lock(" + 0x686f757365L + ")");
            try {
                clock.advance(Duration.ofDays(40));
                assertEquals(Map.of(), housekeeping.run());
                assertEquals(1, count("select count(*) from token where id = ?", UUID.fromString((String) revoked.get("id"))));
            } finally {
                other.createStatement().execute("select pg_advisory_unlock(" + 0x686f757365L + ")");
            }
            assertTrue(housekeeping.run().get("tokens") >= 1, "once the other node is done, this one sweeps");
            assertEquals(0, count("select count(*) from token where id = ?", UUID.fromString((String) revoked.get("id"))));
        } finally {
            clock.reset();
        }
    }
}
