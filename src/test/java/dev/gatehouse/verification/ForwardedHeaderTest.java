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

/** A deployment whose proxies set RFC 7239's Forwarded header: its for= values are read, X-Forwarded-For is not. */
@QuarkusTest
@TestProfile(ForwardedHeaderTest.Rfc7239Proxy.class)
class ForwardedHeaderTest {
    public static class Rfc7239Proxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gatehouse.proxy.trusted-proxies", "127.0.0.1/32,::1/128",
                    "gatehouse.proxy.forwarded-header", "forwarded");
        }
    }

    @Test
    void forwardedForIsReadFromTheRight() {
        String key = createKey(Http.signUpSomeone(), Map.of("label", "rfc 7239", "scopes", List.of("profile:read"),
                "ipAllowlist", List.of("2001:db8::/32", "198.51.100.0/24"))).then().statusCode(201).extract().path("rawKey");
        given().header("Authorization", "Bearer " + key).header("Forwarded", "for=\"[2001:db8::7]:4711\";proto=https")
                .get("/v1/me").then().statusCode(200);
        given().header("Authorization", "Bearer " + key).header("Forwarded", "for=198.51.100.9, for=127.0.0.1")
                .get("/v1/me").then().statusCode(200);
        given().header("Authorization", "Bearer " + key).header("Forwarded", "for=198.51.100.9, for=192.0.2.1")
                .get("/v1/me").then().statusCode(403);
        given().header("Authorization", "Bearer " + key).header("X-Forwarded-For", "198.51.100.9")
                .get("/v1/me").then().statusCode(403);
    }
}
