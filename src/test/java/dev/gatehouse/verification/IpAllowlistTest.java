package dev.gatehouse.verification;

import static dev.gatehouse.testing.Http.asPerson;
import static dev.gatehouse.testing.Http.createKey;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gatehouse.testing.Http;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Per-key IP allowlists (seed 000's roadmap, now built), through real IPv4 and IPv6 sockets: the server
 * listens on both, and the address checked is the socket's, since no proxy is trusted here.
 */
@QuarkusTest
@TestProfile(IpAllowlistTest.DualStack.class)
class IpAllowlistTest {
    /** Listens on IPv4 and IPv6 loopback alike; no trusted proxies (the default). */
    public static class DualStack implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.host", "::");
        }
    }

    /** Quarkus points RestAssured at the host it listens on, "::", which is no URL: talk to loopback. */
    @BeforeEach
    void toLoopback() {
        RestAssured.baseURI = "http://localhost";
    }

    private static Response meOverIpv4(String key) {
        return given().baseUri("http://127.0.0.1").port(RestAssured.port).header("Authorization", "Bearer " + key).get("/v1/me");
    }

    private static Response meOverIpv6(String key) {
        return given().baseUri("http://[::1]").port(RestAssured.port).header("Authorization", "Bearer " + key).get("/v1/me");
    }

    private static Map<String, Object> mint(String session, List<String> allowlist) {
        return createKey(session, Map.of("label", "allowlisted", "scopes", List.of("profile:read"), "ipAllowlist", allowlist))
                .then().statusCode(201).extract().jsonPath().getMap("");
    }

    @Test
    void anIpv4AllowlistAdmitsItsRangeOnly() {
        String session = Http.signUpSomeone();
        var inside = mint(session, List.of("127.0.0.0/8"));
        assertEquals(List.of("127.0.0.0/8"), inside.get("ipAllowlist"));
        meOverIpv4((String) inside.get("rawKey")).then().statusCode(200);
        // The same key from an IPv6 address is outside every IPv4 range.
        meOverIpv6((String) inside.get("rawKey")).then().statusCode(403);

        var outside = mint(session, List.of("203.0.113.0/24"));
        meOverIpv4((String) outside.get("rawKey")).then().statusCode(403)
                .body("status", equalTo(403))
                .body("error", equalTo("Forbidden"))
                .body("message", containsString("127.0.0.1"))
                .body("message", containsString("IP allowlist"));
    }

    @Test
    void anIpv6AllowlistAdmitsItsRangeOnly() {
        String session = Http.signUpSomeone();
        var loopback = mint(session, List.of("::1/128"));
        meOverIpv6((String) loopback.get("rawKey")).then().statusCode(200);
        meOverIpv4((String) loopback.get("rawKey")).then().statusCode(403);

        var elsewhere = mint(session, List.of("2001:db8::/32"));
        meOverIpv6((String) elsewhere.get("rawKey")).then().statusCode(403).body("message", containsString("::1"));
    }

    @Test
    void aSpoofedForwardingHeaderFromAnUntrustedPeerIsIgnored() {
        String session = Http.signUpSomeone();
        String key = (String) mint(session, List.of("198.51.100.0/24")).get("rawKey");
        for (String header : List.of("X-Forwarded-For", "X-Real-IP")) {
            given().baseUri("http://127.0.0.1").port(RestAssured.port).header("Authorization", "Bearer " + key)
                    .header(header, "198.51.100.7").get("/v1/me").then().statusCode(403);
        }
        given().baseUri("http://127.0.0.1").port(RestAssured.port).header("Authorization", "Bearer " + key)
                .header("Forwarded", "for=198.51.100.7").get("/v1/me").then().statusCode(403);
    }

    /**
     * Introspection is not told where a key is used from (RFC 7662 has no such parameter): it names the
     * allowlist, so the resource server, which knows its caller's address, can enforce it.
     */
    @Test
    void introspectionNamesTheAllowlist() {
        String session = Http.signUpSomeone();
        var key = mint(session, List.of("203.0.113.0/24"));
        dev.gatehouse.testing.OAuthFlow.introspect((String) key.get("rawKey")).then().statusCode(200)
                .body("active", equalTo(true)).body("ip_allowlist", equalTo(List.of("203.0.113.0/24")));
    }

    @Test
    void rangesAreStoredCanonicalAndCanBeChangedLater() {
        String session = Http.signUpSomeone();
        var key = mint(session, List.of("10.1.2.3/8", "2001:DB8:0:0::1/32", "192.0.2.9"));
        assertEquals(List.of("10.0.0.0/8", "2001:db8::/32", "192.0.2.9"), key.get("ipAllowlist"));
        String id = (String) key.get("id");
        String rawKey = (String) key.get("rawKey");
        meOverIpv4(rawKey).then().statusCode(403);

        asPerson(session).contentType(ContentType.JSON).body(Map.of("ipAllowlist", List.of("127.0.0.1")))
                .patch("/settings/api-keys/" + id).then().statusCode(200).body("ipAllowlist", equalTo(List.of("127.0.0.1")));
        meOverIpv4(rawKey).then().statusCode(200);

        // An empty list lifts the restriction; the label stays as it was.
        asPerson(session).contentType(ContentType.JSON).body(Map.of("ipAllowlist", List.of()))
                .patch("/settings/api-keys/" + id).then().statusCode(200).body("ipAllowlist", empty())
                .body("label", equalTo("allowlisted"));
        meOverIpv6(rawKey).then().statusCode(200);
    }

    @Test
    void badRangesAreRefusedAndStoreNothing() {
        String session = Http.signUpSomeone();
        for (Object bad : List.of(List.of("10.0.0.0/33"), List.of("not-an-address"), List.of("10.0.0.*"), List.of("10.0.0.1-9"),
                List.of("example.com"), List.of(""), List.of("1.2.3.4/8 evil"), List.of("10.1"), List.of("::/129"))) {
            createKey(session, Map.of("label", "bad", "scopes", List.of("profile:read"), "ipAllowlist", bad))
                    .then().statusCode(400).body("status", equalTo(400)).body("message", containsString("ipAllowlist"));
        }
        createKey(session, Map.of("label", "bad", "scopes", List.of("profile:read"), "ipAllowlist", java.util.Collections.nCopies(65, "10.0.0.0/8")))
                .then().statusCode(400);
        assertEquals(0, Http.listKeys(session).size(), "no refused key was stored");

        var key = mint(session, List.of("127.0.0.1/32"));
        asPerson(session).contentType(ContentType.JSON).body(Map.of("ipAllowlist", List.of("300.1.1.1/32")))
                .patch("/settings/api-keys/" + key.get("id")).then().statusCode(400);
        asPerson(session).get("/settings/api-keys/" + key.get("id")).then().statusCode(200)
                .body("ipAllowlist", equalTo(List.of("127.0.0.1/32")));
        meOverIpv4((String) key.get("rawKey")).then().statusCode(200);
    }

    @Test
    void theKeyPageSetsAndEditsTheAllowlist() {
        String session = Http.signUpSomeone();
        String page = asPerson(session).get("/account/api-tokens").then().statusCode(200).extract().asString();
        String csrf = page.replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
        String carried = asPerson(session).redirects().follow(false).header("Origin", "http://localhost:" + RestAssured.port)
                .contentType(ContentType.URLENC)
                .formParam("csrf", csrf).formParam("label", "from the page").formParam("scope", "profile:read")
                .formParam("ip_allowlist", "203.0.113.0/24, 2001:db8::/32")
                .post("/account/api-tokens").then().statusCode(303).extract().cookie("gatehouse_new_key");
        String created = asPerson(session).cookie("gatehouse_new_key", carried).get("/account/api-tokens").asString();
        String rawKey = created.replaceAll("(?s).*<code id=\"new-token\">([^<]+)</code>.*", "$1");
        var listed = Http.listKeys(session).get(0);
        assertEquals(List.of("203.0.113.0/24", "2001:db8::/32"), listed.get("ipAllowlist"));
        meOverIpv4(rawKey).then().statusCode(403);

        asPerson(session).redirects().follow(false).header("Origin", "http://localhost:" + RestAssured.port)
                .contentType(ContentType.URLENC).formParam("csrf", csrf).formParam("ip_allowlist", "127.0.0.0/8")
                .post("/account/api-tokens/" + listed.get("id") + "/ip-allowlist").then().statusCode(303);
        meOverIpv4(rawKey).then().statusCode(200);
    }
}
