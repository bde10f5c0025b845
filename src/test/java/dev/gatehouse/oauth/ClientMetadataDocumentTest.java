package dev.gatehouse.oauth;

import static dev.gatehouse.testing.OAuthDriver.ISSUER;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.MetadataDocumentServer;
import dev.gatehouse.testing.OAuthDriver;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A client whose client_id is the https URL of its metadata document (specs.md §8.1), fetched from a real
 * HTTPS server on loopback (allowed here by configuration; refused by default, see AddressPolicyTest).
 */
@QuarkusTest
@TestProfile(MetadataDocumentServer.Profile.class)
class ClientMetadataDocumentTest {

    @Test
    void aDocumentClientCompletesCodeAndPkceWithoutRegistering() {
        String clientId = MetadataDocumentServer.url("/clients/good.json");
        String session = Http.signUpSomeone();
        String verifier = OAuthDriver.verifier();
        Map<String, String> params = OAuthDriver.request(clientId, "profile:read", verifier);

        Response consent = OAuthDriver.authorize(session, params);
        consent.then().statusCode(200)
                .body(containsString("Metadata document app"))
                .body(containsString("<strong>127.0.0.1</strong>")); // the redirect host, shown clearly
        Response approved = OAuthDriver.decide(session, consent.asString(), "allow");
        Map<String, String> back = OAuthDriver.query(approved.getHeader("Location"));
        assertEquals(ISSUER, back.get("iss"));

        String token = OAuthDriver.exchange(clientId, null, back.get("code"), verifier).then().statusCode(200)
                .extract().path("access_token");
        Http.me(token).then().statusCode(200).body("key.kind", equalTo("access"));
    }

    /**
     * Issue 10 finding 12 (DNS rebinding): the fetch connects to the very address Gatehouse resolved and
     * checked. The document's host is a name only Gatehouse's resolver knows; a fetch that resolved it
     * again on its own (as the JDK client did) would not reach it. TLS still checks the certificate for the name.
     */
    @Test
    void theFetchConnectsToTheAddressThatWasChecked() {
        String clientId = MetadataDocumentServer.urlByName("/clients/good.json");
        Response consent = OAuthDriver.authorize(Http.signUpSomeone(), OAuthDriver.request(clientId, "profile:read", OAuthDriver.verifier()));
        consent.then().statusCode(200).body(containsString("Metadata document app"));
    }

    /** A server that sends headers and then drips its body is cut off at the configured deadline (1 s here). */
    @Test
    void aSlowDocumentIsAbandonedAtTheDeadline() {
        long started = System.nanoTime();
        Response answer = OAuthDriver.authorize(Http.signUpSomeone(),
                OAuthDriver.request(MetadataDocumentServer.url("/clients/slow.json"), "profile:read", OAuthDriver.verifier()));
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(400, answer.statusCode());
        org.junit.jupiter.api.Assertions.assertTrue(millis < 4_000, "gave up after " + millis + " ms, the drip lasts 6 s");
    }

    @Test
    void documentsThatLieAreTooBigRedirectOrUseHttpAreRefusedWithoutARedirect() {
        String session = Http.signUpSomeone();
        for (String path : new String[] {"/clients/wrong-id.json", "/clients/huge.json", "/clients/moved.json",
                "/clients/http-redirect.json", "/clients/missing.json"}) {
            Map<String, String> params = OAuthDriver.request(MetadataDocumentServer.url(path), "profile:read", OAuthDriver.verifier());
            Response answer = OAuthDriver.authorize(session, params);
            assertEquals(400, answer.statusCode(), path);
            assertNull(answer.getHeader("Location"), path);
        }
    }
}
