package dev.gatehouse.verification;

import static dev.gatehouse.testing.Http.createKey;
import static io.restassured.RestAssured.given;

import dev.gatehouse.testing.Http;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Behind a configured trusted proxy, the client is the proxy's word for it: X-Forwarded-For read from
 * the right, trusted hops skipped, so what a client writes at the left of the header is never believed.
 */
@QuarkusTest
@TestProfile(TrustedProxyTest.BehindLoopbackProxy.class)
class TrustedProxyTest {
    public static class BehindLoopbackProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gatehouse.proxy.trusted-proxies", "127.0.0.1/32,::1/128");
        }
    }

    private static String keyFor(String... ranges) {
        return createKey(Http.signUpSomeone(), Map.of("label", "behind a proxy", "scopes", List.of("profile:read"),
                "ipAllowlist", List.of(ranges))).then().statusCode(201).extract().path("rawKey");
    }

    private static ValidatableResponse me(String key, String forwardedFor) {
        var request = given().header("Authorization", "Bearer " + key);
        return (forwardedFor == null ? request : request.header("X-Forwarded-For", forwardedFor)).get("/v1/me").then();
    }

    @Test
    void theTrustedProxysHeaderIsHonoured() {
        String key = keyFor("198.51.100.0/24");
        me(key, "198.51.100.9").statusCode(200);
        // Two proxies, both trusted: the first untrusted address from the right is the client.
        me(key, "198.51.100.9, 127.0.0.1").statusCode(200);
        me(key, "192.0.2.1").statusCode(403);
        // Without the header the client is the proxy itself, which is not in the list.
        me(key, null).statusCode(403);
    }

    @Test
    void whatTheClientWroteLeftOfTheProxysEntryIsIgnored() {
        String key = keyFor("198.51.100.0/24");
        // The client sent "X-Forwarded-For: 198.51.100.9"; the proxy appended the address it saw.
        me(key, "198.51.100.9, 192.0.2.1").statusCode(403);
        // Nor does an "unknown" hop let anything further left through.
        me(key, "198.51.100.9, unknown").statusCode(403);
    }

    @Test
    void ipv6ClientsBehindTheProxyAreMatchedToo() {
        String key = keyFor("2001:db8::/32");
        me(key, "2001:db8::7").statusCode(200);
        me(key, "2001:db9::7").statusCode(403);
        // The other header is not the one this deployment's proxies set.
        given().header("Authorization", "Bearer " + key).header("Forwarded", "for=\"[2001:db8::7]\"").get("/v1/me")
                .then().statusCode(403);
    }
}
