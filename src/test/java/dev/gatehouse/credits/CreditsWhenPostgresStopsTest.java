package dev.gatehouse.credits;

import static dev.gatehouse.testing.Http.me;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gatehouse.testing.BalanceOfRecord;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.Operator;
import dev.gatehouse.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL, the balance of record, stopped while a key is in use (issue 8 §3, docs/credits.md): charging
 * goes on from the balance the node holds (cached reads go on), a write asked for meanwhile fails fast
 * with 503 and Retry-After, and every charge made during the outage is written once PostgreSQL is back.
 */
@QuarkusTest
@TestProfile(CreditsProfile.class)
class CreditsWhenPostgresStopsTest {
    @Inject
    AgroalDataSource database;

    @Test
    void chargingGoesOnFromTheHeldBalanceAndEveryChargeIsWrittenWhenPostgresReturns() throws Exception {
        Operator.Customer customer = Operator.signUpCustomer();
        String owner = customer.owner();
        String key = Http.mintRawKey(customer.session(), "profile:read");
        me(key).then().statusCode(200).header("X-Credits-Remaining", "9");
        me(key).then().statusCode(200).header("X-Credits-Remaining", "8");
        assertEquals(2, awaitSpent(owner, 2));

        PostgresResource.stopNow();
        try {
            for (int i = 1; i <= 3; i++) {
                me(key).then().statusCode(200).header("X-Credits-Used", "1").header("X-Credits-Remaining", Integer.toString(8 - i));
            }
            // A write cannot be made: it fails fast, says when to come back, and shows nothing of the cause.
            long started = System.nanoTime();
            Operator.topUp(owner, 5, "payment-during-outage").statusCode(503).header("Retry-After", notNullValue())
                    .body("status", equalTo(503)).body("message", equalTo("The service is temporarily unavailable; try again shortly"));
            long tookMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            org.junit.jupiter.api.Assertions.assertTrue(tookMillis < 6000, "failed fast: " + tookMillis + " ms");
        } finally {
            PostgresResource.startAgain();
        }
        assertEquals(5, awaitSpent(owner, 5), "the charges made during the outage are written once it is over");
        me(key).then().statusCode(200).header("X-Credits-Remaining", "4");
        Operator.topUp(owner, 5, "payment-after-outage").statusCode(200).body("remaining", equalTo(9));
    }

    private long awaitSpent(String owner, long expected) throws Exception {
        return BalanceOfRecord.awaitSpent(database, owner, YearMonth.now(ZoneOffset.UTC), expected);
    }
}
