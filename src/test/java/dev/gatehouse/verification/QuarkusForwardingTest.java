package dev.gatehouse.verification;

import static dev.gatehouse.testing.Http.createKey;
import static io.restassured.RestAssured.given;

import dev.gatehouse.testing.Http;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With Quarkus's own forwarding on (for X-Forwarded-Proto behind a TLS proxy), Quarkus rewrites the
 * request's remote address to the leftmost X-Forwarded-For entry from any peer. The allowlist must
 * still see the socket's peer: no trusted proxy is configured here, so the header counts for nothing.
 */
@QuarkusTest
@TestProfile(QuarkusForwardingTest.ForwardingOn.class)
class QuarkusForwardingTest {
    public static class ForwardingOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.proxy.proxy-address-forwarding", "true");
        }
    }

    @Test
    void aSpoofedXForwardedForDoesNotPassTheAllowlist() {
        String key = createKey(Http.signUpSomeone(), Map.of("label", "fenced", "scopes", List.of("profile:read"),
                "ipAllowlist", List.of("198.51.100.0/24"))).then().statusCode(201).extract().path("rawKey");
        given().header("Authorization", "Bearer " + key).header("X-Forwarded-For", "198.51.100.7")
                .get("/v1/me").then().statusCode(403);
        given().header("Authorization", "Bearer " + key).header("Forwarded", "for=198.51.100.7")
                .get("/v1/me").then().statusCode(403);
    }
}
