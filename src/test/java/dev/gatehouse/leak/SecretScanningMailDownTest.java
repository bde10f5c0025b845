package dev.gatehouse.leak;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.SecretScanner;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A mail server that is down neither fails a report nor undoes its revocation (specs.md §10.2: revoke, then notify). */
@QuarkusTest
@TestProfile(SecretScanningMailDownTest.Profile.class)
class SecretScanningMailDownTest {
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
        Map<String, Object> minted = Http.mintKey(Http.signUpSomeone(), List.of("profile:read"));
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

        // The mail really failed, and the failure was logged without the key.
        // Mails go out after the answer: wait for the attempt to end.
        String failure = "Could not tell the owner of leaked api_key " + minted.get("id");
        String log = Files.readString(Path.of("target/gatehouse-test.log"));
        for (long deadline = System.currentTimeMillis() + 20_000; !log.contains(failure) && System.currentTimeMillis() < deadline; ) {
            Thread.sleep(200);
            log = Files.readString(Path.of("target/gatehouse-test.log"));
        }
        assertTrue(log.contains(failure), "the mail failure is logged");
        assertFalse(log.contains(key), "a reported key reached the log");
    }
}
