package dev.gatehouse.mail;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.MailServer;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Mail through the outbox (issue 9 §3) with a real SMTP server (GreenMail) that the test stops and starts:
 * with SMTP down the claim still answers 200 and its mail waits, sealed, counted as a failure and in the
 * backlog; once SMTP is back the mail goes out and its body is wiped.
 */
@QuarkusTest
@TestProfile(MailServer.Profile.class)
class MailOutboxTest {
    @Inject
    AgroalDataSource database;

    private Object[] outboxRow(String email) throws Exception {
        try (Connection connection = database.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select sealed_body, attempts, last_error, sent_at from mail_outbox where recipient = ? order by id desc limit 1")) {
            query.setString(1, email);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? new Object[] {row.getString(1), row.getInt(2), row.getString(3), row.getTimestamp(4)} : null;
            }
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        for (long deadline = System.currentTimeMillis() + 15_000; !condition.getAsBoolean(); ) {
            assertTrue(System.currentTimeMillis() < deadline, "timed out waiting for " + what);
            Thread.sleep(100);
        }
    }

    @Test
    void withSmtpDownTheClaimSucceedsAndItsMailGoesOutWhenSmtpReturns() throws Exception {
        String claimToken = given().contentType("application/json").body(Map.of("type", "anonymous", "requested_credential_type", "api_key"))
                .post("/agent/auth").then().statusCode(200).extract().path("claim_token");
        String email = Http.newEmail();
        double failuresBefore = Http.metric("gatehouse_mail_failures_total");

        MailServer.down();
        try {
            given().contentType("application/json").body(Map.of("claim_token", claimToken, "email", email))
                    .post("/agent/auth/claim").then().statusCode(200);
            Object[] waiting = outboxRow(email);
            assertTrue(waiting != null, "the mail is in the outbox");
            assertFalse(((String) waiting[0]).contains("/agent/auth/claim/view"), "the body, with its one-time link, is sealed at rest");
            await(() -> {
                try {
                    Object[] row = outboxRow(email);
                    return (int) row[1] >= 1 && row[2] != null;
                } catch (Exception e) {
                    return false;
                }
            }, "a failed attempt");
            assertTrue(Http.metric("gatehouse_mail_failures_total") > failuresBefore, "the failure is counted");
            assertTrue(Http.metric("gatehouse_mail_outbox_backlog") >= 1, "and the mail is in the backlog");
        } finally {
            MailServer.up();
        }

        List<MimeMessage> mails = MailServer.messagesTo(email);
        for (long deadline = System.currentTimeMillis() + 15_000; mails.isEmpty() && System.currentTimeMillis() < deadline; ) {
            mails = MailServer.messagesTo(email);
        }
        assertEquals(1, mails.size(), "sent once SMTP is back, once");
        assertTrue(String.valueOf(mails.getFirst().getContent()).contains("/agent/auth/claim/view?token="));
        await(() -> {
            try {
                return outboxRow(email)[3] != null;
            } catch (Exception e) {
                return false;
            }
        }, "the row marked sent");
        assertNull(outboxRow(email)[0], "a sent mail's body is wiped");
    }
}
