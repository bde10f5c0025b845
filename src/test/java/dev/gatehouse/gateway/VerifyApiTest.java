package dev.gatehouse.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.gatehouse.pat.ApiKeyFormat;
import dev.gatehouse.pat.KeyAlphabet;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.MovableClock;
import dev.gatehouse.testing.OAuthFlow;
import dev.gatehouse.testing.Operator;
import dev.gatehouse.token.Environment;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** POST /v1/keys/verify as a service calls it: every verdict it can give today, its caller's authentication, bad input. */
@QuarkusTest
@TestProfile(GatewayProfile.class)
class VerifyApiTest {
    @Inject
    MovableClock clock;

    @AfterEach
    void putTimeBack() {
        clock.reset();
    }

    static ValidatableResponse verify(Object body) {
        return given().auth().preemptive().basic(GatewayProfile.VERIFY_CLIENT, GatewayProfile.VERIFY_SECRET)
                .contentType(ContentType.JSON).body(body).post("/v1/keys/verify").then();
    }

    static ValidatableResponse verdict(Map<String, Object> body, String code) {
        return verify(body).statusCode(200).header("Cache-Control", "no-store").body("code", equalTo(code))
                .body("valid", equalTo(code.equals("VALID")));
    }

    @Test
    void valid_withWhoTheKeyIsTheRoutesPriceAndTheMetering() {
        String session = Http.signUpSomeone();
        Map<String, Object> minted = Http.mintKey(session, List.of("jobs:read", "profile:read"));
        String key = (String) minted.get("rawKey");
        String account = Http.me(key).then().statusCode(200).extract().path("account.id");
        String answer = verdict(Map.of("key", key, "method", "GET", "path", "/api/jobs/42"), "VALID")
                .body("keyId", equalTo(minted.get("id")))
                .body("account", equalTo(account))
                .body("scopes", equalTo(List.of("jobs:read", "profile:read")))
                .body("environment", equalTo("live"))
                .body("ratelimit.limit", equalTo(100)).body("ratelimit.remaining", equalTo(98)) // /v1/me was the first
                .body("ratelimit.reset", notNullValue())
                .body("credits.used", equalTo(2)).body("credits.remaining", equalTo(997))
                .body("headers.'X-Credits-Used'", equalTo("2")).body("headers.'X-Credits-Remaining'", equalTo("997"))
                .body("headers.'X-RateLimit-Limit'", equalTo("100"))
                .extract().asString();
        org.junit.jupiter.api.Assertions.assertFalse(answer.contains(key), "the key is never echoed");
        // An explicit cost overrides the route's; without a path, no route applies.
        verdict(Map.of("key", key, "method", "GET", "path", "/api/jobs/42", "cost", 7), "VALID").body("credits.used", equalTo(7))
                .body("credits.remaining", equalTo(990));
        verdict(Map.of("key", key), "VALID").body("credits.used", equalTo(1)).body("credits.remaining", equalTo(989));
    }

    @Test
    void notFound_forUnknownMalformedAndNonApiCredentials() {
        String unknown = new ApiKeyFormat("gth_live_", "gth_test_", KeyAlphabet.BASE62, 32).mint(Environment.LIVE).plaintext();
        verdict(Map.of("key", unknown), "NOT_FOUND").body("keyId", nullValue()).body("account", nullValue());
        verdict(Map.of("key", "not a key at all"), "NOT_FOUND");
        verdict(Map.of("key", "gth_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), "NOT_FOUND");
    }

    @Test
    void expired_onceTimeHasPassedItsExpiry() {
        String session = Http.signUpSomeone();
        String key = (String) Http.mintKey(session, List.of("jobs:read"), Instant.now().plus(Duration.ofHours(1))).get("rawKey");
        verdict(Map.of("key", key), "VALID");
        clock.advance(Duration.ofHours(2));
        verdict(Map.of("key", key), "EXPIRED").body("keyId", notNullValue()).body("credits", nullValue());
    }

    @Test
    void revoked_atOnce() {
        String session = Http.signUpSomeone();
        Map<String, Object> minted = Http.mintKey(session, List.of("jobs:read"));
        Http.asPerson(session).delete("/settings/api-keys/" + minted.get("id")).then().statusCode(204);
        verdict(Map.of("key", (String) minted.get("rawKey")), "REVOKED");
    }

    @Test
    void ipNotAllowed_fromAnAddressOutsideTheAllowlistOrNone() {
        String key = ForwardAuthTest.key("office", List.of("jobs:read"), List.of("198.51.100.0/24", "2001:db8::/32"));
        verdict(Map.of("key", key, "ip", "198.51.100.20"), "VALID");
        verdict(Map.of("key", key, "ip", "2001:db8::1"), "VALID");
        verdict(Map.of("key", key, "ip", "192.0.2.1"), "IP_NOT_ALLOWED").body("credits", nullValue());
        // Without an address, an allowlisted key cannot be vouched for.
        verdict(Map.of("key", key), "IP_NOT_ALLOWED");
    }

    @Test
    void insufficientScope_forTheRoutesScopeOrAnyOfTheOnesAsked() {
        String key = ForwardAuthTest.key("reader", List.of("jobs:read"), null);
        verdict(Map.of("key", key, "method", "POST", "path", "/api/jobs"), "INSUFFICIENT_SCOPE").body("keyId", notNullValue());
        verdict(Map.of("key", key, "scopes", List.of("jobs:read")), "VALID");
        verdict(Map.of("key", key, "scopes", List.of("jobs:read", "jobs:write")), "INSUFFICIENT_SCOPE")
                .body("credits", nullValue()); // refused before anything was charged
        verdict(Map.of("key", key, "method", "GET", "path", "/api/jobs", "scopes", List.of("billing:read")), "INSUFFICIENT_SCOPE");
    }

    @Test
    void meteringVerdictsPassThrough() {
        String limited = ForwardAuthTest.rateLimitedKey(List.of("jobs:read"));
        verdict(Map.of("key", limited), "RATE_LIMITED").body("ratelimit.limit", equalTo(1)).body("ratelimit.remaining", equalTo(0))
                .body("valid", equalTo(false));
        String broke = ForwardAuthTest.brokeKey(List.of("jobs:read"));
        verdict(Map.of("key", broke), "INSUFFICIENT_CREDITS").body("credits.used", equalTo(0)).body("credits.remaining", equalTo(0))
                .body("headers.'X-Credits-Remaining'", equalTo("0"));
        Operator.Customer customer = Operator.signUpCustomer();
        Operator.putOnPlan(customer.owner(), "one-request").statusCode(200);
        String quota = (String) Http.mintKey(customer.session(), List.of("jobs:read")).get("rawKey");
        verdict(Map.of("key", quota, "method", "GET", "path", "/api/jobs"), "VALID").body("credits.used", equalTo(1))
                .body("credits.remaining", equalTo(0));
        verdict(Map.of("key", quota, "method", "GET", "path", "/api/jobs"), "QUOTA_EXCEEDED").body("credits.remaining", equalTo(0));
        // Free routes and explicit zero costs pass on an empty balance.
        verdict(Map.of("key", broke, "cost", 0), "VALID").body("credits.used", equalTo(0));
    }

    @Test
    void notInPlan_forARouteTheOwnersPlanLeavesOut() {
        Operator.Customer customer = Operator.signUpCustomer();
        Operator.putOnPlan(customer.owner(), "jobs-only").statusCode(200);
        String key = (String) Http.mintKey(customer.session(), List.of("jobs:read", "billing:read")).get("rawKey");
        verdict(Map.of("key", key, "method", "GET", "path", "/api/premium/report"), "NOT_IN_PLAN")
                .body("credits", nullValue()).body("keyId", notNullValue());
        verdict(Map.of("key", key, "method", "GET", "path", "/api/jobs"), "VALID").body("credits.remaining", equalTo(999));
    }

    @Test
    void noRoute_whenTheDeploymentDeniesUnpricedRequests() {
        String key = ForwardAuthTest.key("k", List.of("jobs:read"), null);
        verdict(Map.of("key", key, "method", "GET", "path", "/nowhere"), "NO_ROUTE");
    }

    @Test
    void theCallerMustBeAVerifyClient() {
        Map<String, Object> body = Map.of("key", "whatever");
        var unauthenticated = given().contentType(ContentType.JSON).body(body).post("/v1/keys/verify").then().statusCode(401)
                .body("status", equalTo(401)).extract().headers().getValues("WWW-Authenticate");
        org.junit.jupiter.api.Assertions.assertTrue(unauthenticated.stream().anyMatch(v -> v.startsWith("Basic realm=")), unauthenticated.toString());
        given().auth().preemptive().basic(GatewayProfile.VERIFY_CLIENT, "wrong").contentType(ContentType.JSON).body(body)
                .post("/v1/keys/verify").then().statusCode(401);
        given().auth().preemptive().basic("nobody", GatewayProfile.VERIFY_SECRET).contentType(ContentType.JSON).body(body)
                .post("/v1/keys/verify").then().statusCode(401);
        // A confidential client without gatehouse:verify.
        given().auth().preemptive().basic(OAuthFlow.DEMO_CLIENT, OAuthFlow.DEMO_SECRET).contentType(ContentType.JSON).body(body)
                .post("/v1/keys/verify").then().statusCode(403).body("message", containsString("gatehouse:verify"));
        // A key, even a good one, is not a caller.
        String key = ForwardAuthTest.key("k", List.of("jobs:read"), null);
        given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(body)
                .post("/v1/keys/verify").then().statusCode(401);
    }

    @Test
    void badInputIs400AndNeverEchoesTheKey() {
        String key = ForwardAuthTest.key("k", List.of("jobs:read"), null);
        List<Map<String, Object>> bad = List.of(
                Map.of(),
                Map.of("key", ""),
                Map.of("key", 42),
                Map.of("key", key + "\u0000"),
                Map.of("key", key, "cost", "5"),
                Map.of("key", key, "cost", 1.5),
                Map.of("key", key, "cost", -1),
                Map.of("key", key, "cost", 10_000_000_000L),
                Map.of("key", key, "scopes", "jobs:read"),
                Map.of("key", key, "scopes", List.of(1)),
                Map.of("key", key, "ip", "300.1.1.1"),
                Map.of("key", key, "ip", "10.0.0.0/8"),
                Map.of("key", key, "method", "GET"),
                Map.of("key", key, "method", "GET", "path", "/a\u0000b"),
                Map.of("key", key, "method", "G E T", "path", "/a"),
                Map.of("key", key, "extra", true));
        for (Map<String, Object> body : bad) {
            String answer = verify(body).statusCode(400).body("status", equalTo(400)).extract().asString();
            org.junit.jupiter.api.Assertions.assertFalse(answer.contains(key), "never echoed: " + answer);
        }
        given().auth().preemptive().basic(GatewayProfile.VERIFY_CLIENT, GatewayProfile.VERIFY_SECRET)
                .contentType(ContentType.JSON).body("{\"key\": ").post("/v1/keys/verify").then().statusCode(400);
        given().auth().preemptive().basic(GatewayProfile.VERIFY_CLIENT, GatewayProfile.VERIFY_SECRET)
                .contentType(ContentType.JSON).body("[]").post("/v1/keys/verify").then().statusCode(400);
        // Nothing was used: the key's count did not move.
        Map<String, Object> mixed = new HashMap<>(Map.of("key", key, "cost", "5"));
        verify(mixed).statusCode(400).body("message", not(containsString(key)));
    }
}
