package dev.gatehouse.leak;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.SecretScanner;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A mail server that is down neither fails a report nor undoes its revocation (specs.md §10.2: revoke, then
 * notify): the owner's mail waits in the outbox.
 */
@QuarkusTest
@TestProfile(SecretScanningMailDownTest.Profile.class)
class SecretScanningMailDownTest {
    @Inject
    AgroalDataSource database;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SecretScanner.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            int closed;
            try (ServerSocket socket = new ServerSocket(0)) {
                closed = socket.getLocalPort(); // nothing listens here once the socket is closed
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("quarkus.mailer.mock", "false", "quarkus.mailer.host", "127.0.0.1",
                    "quarkus.mailer.port", Integer.toString(closed), "quarkus.mailer.tls", "false");
        }
    }

    @Test
    void theKeyIsRevokedAndGitHubHearsItWasOursWhenTheMailCannotGo() throws Exception {
        String email = Http.newEmail();
        Map<String, Object> minted = Http.mintKey(Http.signUp(email), List.of("profile:read"));
        String key = (String) minted.get("rawKey");
        byte[] body = ("[{\"token\":\"" + key + "\",\"type\":\"gatehouse_api_key\",\"url\":\"\",\"source\":\"commit\"}]")
                .getBytes(StandardCharsets.UTF_8);
        RestAssured.given().contentType("application/json")
                .header("Github-Public-Key-Identifier", SecretScanner.pinned().id())
                .header("Github-Public-Key-Signature", SecretScanner.sign(SecretScanner.pinned(), body))
                .body(body)
                .post("/secret-scanning/report")
                .then().statusCode(200).body("[0].label", equalTo("true_positive"));
        Http.me(key).then().statusCode(401);

        // The mail waits in the outbox: tried, failed (the class of the failure kept, never its text), to be tried again.
        String failed = null;
        for (long deadline = System.currentTimeMillis() + 20_000; failed == null && System.currentTimeMillis() < deadline; ) {
            Thread.sleep(200);
            try (Connection connection = database.getConnection();
                    PreparedStatement query = connection.prepareStatement(
                            "select last_error from mail_outbox where recipient = ? and attempts >= 1 and sent_at is null")) {
                query.setString(1, email);
                try (ResultSet row = query.executeQuery()) {
                    failed = row.next() ? row.getString(1) : null;
                }
            }
        }
        assertTrue(failed != null, "the owner's mail was tried and waits in the outbox");
        String log = Files.readString(Path.of("target/gatehouse-test.log"));
        assertFalse(log.contains(key), "a reported key reached the log");
    }
}
