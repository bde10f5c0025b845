package dev.gatehouse.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.Operator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /forward-auth as Traefik's ForwardAuth and nginx's auth_request call it, through real HTTP and PostgreSQL. */
@QuarkusTest
@TestProfile(GatewayProfile.class)
class ForwardAuthTest {

    static String key(String label, List<String> scopes, List<String> ipAllowlist) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("label", label, "scopes", scopes));
        if (ipAllowlist != null) {
            body.put("ipAllowlist", ipAllowlist);
        }
        return Http.createKey(Http.signUpSomeone(), body).then().statusCode(201).extract().path("rawKey");
    }

    /** A key that has used its one request of the day (an operator's policy for it): the next is 429. */
    static String rateLimitedKey(List<String> scopes) {
        Map<String, Object> minted = Http.mintKey(Http.signUpSomeone(), scopes);
        Operator.setRateLimit((String) minted.get("id"), "one-a-day").statusCode(200);
        String key = (String) minted.get("rawKey");
        traefik("GET", "/api/jobs").header("Authorization", "Bearer " + key).get("/forward-auth").then().statusCode(200)
                .header("X-RateLimit-Remaining", "0");
        return key;
    }

    /** A key whose owner is on a plan that grants nothing: every priced request is 402. */
    static String brokeKey(List<String> scopes) {
        Operator.Customer customer = Operator.signUpCustomer();
        Operator.putOnPlan(customer.owner(), "empty").statusCode(200);
        return (String) Http.mintKey(customer.session(), scopes).get("rawKey");
    }

    /** Traefik: X-Forwarded-Method and -Uri, the client's headers passed through. */
    static RequestSpecification traefik(String method, String uri) {
        return given().header("X-Forwarded-Method", method).header("X-Forwarded-Uri", uri)
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "api.example.test");
    }

    /** nginx: X-Original-Method and -URI. */
    static RequestSpecification nginx(String method, String uri) {
        return given().header("X-Original-Method", method).header("X-Original-URI", uri);
    }

    @Test
    void aValidKeyPassesWithWhoItIsForTheUpstreamAndMeteringForTheClient() {
        String session = Http.signUpSomeone();
        Map<String, Object> minted = Http.mintKey(session, List.of("jobs:read", "profile:read"));
        String key = (String) minted.get("rawKey");

        traefik("GET", "/api/jobs?page=2").header("Authorization", "Bearer " + key).get("/forward-auth")
                .then().statusCode(200)
                .body(emptyString())
                .header("Cache-Control", "no-store")
                .header(ForwardAuthResource.KEY_ID, equalTo(minted.get("id")))
                .header(ForwardAuthResource.SCOPES, equalTo("jobs:read profile:read"))
                .header(ForwardAuthResource.ENVIRONMENT, equalTo("live"))
                .header("X-RateLimit-Limit", "100")
                .header("X-RateLimit-Remaining", "99")
                .header("RateLimit-Policy", "\"default\";q=100;w=60")
                .header("X-Credits-Used", "1")
                .header("X-Credits-Remaining", "999");
        // The same through the nginx convention, with any method the gateway happens to use.
        nginx("GET", "/api/jobs").header("Authorization", "Bearer " + key).post("/forward-auth")
                .then().statusCode(200).header(ForwardAuthResource.KEY_ID, equalTo(minted.get("id")));
        nginx("GET", "/api/jobs").header("Authorization", "Bearer " + key).head("/forward-auth").then().statusCode(200);
        // Envoy appends the original path: ignored, the headers decide (here a route the key lacks the scope for).
        traefik("POST", "/api/jobs").header("Authorization", "Bearer " + key).get("/forward-auth/api/jobs")
                .then().statusCode(403).header("WWW-Authenticate", containsString("jobs:write"));
    }

    @Test
    void theAccountHeaderNamesTheKeysOwner() {
        String session = Http.signUpSomeone();
        String key = Http.mintRawKey(session, "jobs:read", "profile:read");
        String account = Http.me(key).then().statusCode(200).extract().path("account.id");
        nginx("GET", "/api/jobs").header("Authorization", "Bearer " + key).get("/forward-auth")
                .then().statusCode(200).header(ForwardAuthResource.ACCOUNT, equalTo(account));
    }

    @Test
    void noKeyIs401WithTheSeedBodyAndTheChallenge() {
        traefik("GET", "/api/jobs").get("/forward-auth").then().statusCode(401)
                .contentType("application/json")
                .header("WWW-Authenticate", containsString("Bearer resource_metadata="))
                .body("status", equalTo(401)).body("error", equalTo("Unauthorized"))
                .body("message", equalTo("Missing or invalid API key"))
                .header(ForwardAuthResource.KEY_ID, nullValue());
        nginx("GET", "/api/jobs").header("Authorization", "Bearer gth_live_nope").get("/forward-auth").then().statusCode(401)
                .header("WWW-Authenticate", containsString("invalid_token"));
    }

    @Test
    void theRoutesScopeIsRequired() {
        String reader = key("reader", List.of("jobs:read"), null);
        traefik("POST", "/api/jobs").header("Authorization", "Bearer " + reader).get("/forward-auth").then().statusCode(403)
                .header("WWW-Authenticate", containsString("scope=\"jobs:write\""))
                .body("status", equalTo(403)).body("error", equalTo("Forbidden"))
                .header("X-Credits-Used", nullValue());
        // GET on the same path is another route, which the key may use.
        traefik("GET", "/api/jobs").header("Authorization", "Bearer " + reader).get("/forward-auth").then().statusCode(200);
    }

    @Test
    void theMostSpecificRouteDecidesTheCost() {
        String key = key("all", List.of("jobs:read", "jobs:write", "billing:read"), null);
        String bearer = "Bearer " + key;
        traefik("GET", "/api/jobs").header("Authorization", bearer).get("/forward-auth").then().statusCode(200).header("X-Credits-Used", "1");
        traefik("POST", "/api/jobs").header("Authorization", bearer).get("/forward-auth").then().statusCode(200).header("X-Credits-Used", "5");
        traefik("GET", "/api/jobs/42").header("Authorization", bearer).get("/forward-auth").then().statusCode(200).header("X-Credits-Used", "2");
        traefik("DELETE", "/api/premium/reports/7").header("Authorization", bearer).get("/forward-auth").then().statusCode(200).header("X-Credits-Used", "10");
        traefik("GET", "/api/other").header("Authorization", bearer).get("/forward-auth").then().statusCode(200).header("X-Credits-Used", "1");
        // Spellings of a priced path cannot reach a cheaper route: //, ., .., encoded characters, a trailing /.
        traefik("DELETE", "/api//premium/./x/../reports/").header("Authorization", bearer).get("/forward-auth")
                .then().statusCode(200).header("X-Credits-Used", "10");
        traefik("GET", "/api/%70remium/x").header("Authorization", bearer).get("/forward-auth").then().statusCode(200).header("X-Credits-Used", "10");
        traefik("GET", "/api/premium%2Fx").header("Authorization", bearer).get("/forward-auth").then().statusCode(400);
        traefik("GET", "/../api/jobs").header("Authorization", bearer).get("/forward-auth").then().statusCode(400);
    }

    @Test
    void anUnroutedRequestIs404OnceTheKeyIsValidAnd401Before() {
        String key = key("all", List.of("jobs:read"), null);
        traefik("GET", "/elsewhere").header("Authorization", "Bearer " + key).get("/forward-auth").then().statusCode(404)
                .body("status", equalTo(404)).header("X-Credits-Used", nullValue());
        traefik("GET", "/elsewhere").get("/forward-auth").then().statusCode(401);
    }

    @Test
    void aKeyInTheOriginalQueryIsRefusedLikeEverywhere() {
        String key = key("leaky", List.of("jobs:read"), null);
        traefik("GET", "/api/jobs?api_key=" + key).get("/forward-auth").then().statusCode(400)
                .body("message", containsString("never in the URL query"))
                .header("WWW-Authenticate", containsString("invalid_request"));
        // Even under another name, and even with the key also in the right header.
        nginx("GET", "/api/jobs?q=" + key).header("Authorization", "Bearer " + key).get("/forward-auth").then().statusCode(400);
        // The forward-auth call's own query is not the original request's.
        nginx("GET", "/api/jobs").header("Authorization", "Bearer " + key).queryParam("x", "1").get("/forward-auth").then().statusCode(200);
    }

    @Test
    void theAllowlistSeesTheClientTheTrustedGatewayNames() {
        String key = key("office", List.of("jobs:read"), List.of("198.51.100.0/24"));
        nginx("GET", "/api/jobs").header("Authorization", "Bearer " + key).header("X-Forwarded-For", "198.51.100.7")
                .get("/forward-auth").then().statusCode(200);
        nginx("GET", "/api/jobs").header("Authorization", "Bearer " + key).header("X-Forwarded-For", "192.0.2.1")
                .get("/forward-auth").then().statusCode(403)
                .body("message", containsString("192.0.2.1"))
                .header("X-RateLimit-Limit", nullValue());
        // What a client writes left of the gateway's own entry is not believed.
        nginx("GET", "/api/jobs").header("Authorization", "Bearer " + key).header("X-Forwarded-For", "198.51.100.7, 192.0.2.1")
                .get("/forward-auth").then().statusCode(403);
    }

    @Test
    void theGatewayMustNameTheOriginalRequestOnce() {
        String key = key("k", List.of("jobs:read"), null);
        given().header("Authorization", "Bearer " + key).get("/forward-auth").then().statusCode(400)
                .body("message", containsString("X-Forwarded-Method or X-Original-Method"));
        given().header("Authorization", "Bearer " + key).header("X-Forwarded-Method", "GET").get("/forward-auth").then().statusCode(400);
        // Behind nginx, a client's own X-Forwarded-Uri would pass through: disagreeing with nginx's is refused.
        nginx("POST", "/api/jobs").header("X-Forwarded-Uri", "/api/other").header("X-Forwarded-Method", "POST")
                .header("Authorization", "Bearer " + key).get("/forward-auth").then().statusCode(400)
                .body("message", containsString("disagree"));
        nginx("G E T", "/api/jobs").header("Authorization", "Bearer " + key).get("/forward-auth").then().statusCode(400);
        nginx("GET", "api/jobs").header("Authorization", "Bearer " + key).get("/forward-auth").then().statusCode(400);
    }

    @Test
    void meteringRefusalsKeepTheirStatusBodyAndHeaders() {
        String limited = rateLimitedKey(List.of("jobs:read"));
        traefik("GET", "/api/jobs").header("Authorization", "Bearer " + limited).get("/forward-auth").then().statusCode(429)
                .header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .header("X-RateLimit-Limit", "1")
                .body("status", equalTo(429)).body("message", containsString("Rate limit exceeded. Retry after "))
                .body("retryAfter", org.hamcrest.Matchers.notNullValue());
        String broke = brokeKey(List.of("jobs:read"));
        traefik("GET", "/api/jobs").header("Authorization", "Bearer " + broke).get("/forward-auth").then().statusCode(402)
                .header("X-Credits-Remaining", "0").header("X-RateLimit-Limit", "100")
                .body("status", equalTo(402)).body("message", containsString("Insufficient credits for this operation"));
    }

    @Test
    void forNginxOtherStatusesFoldInto403WithTheRealOneAndTheBodyInHeaders() {
        String limited = rateLimitedKey(List.of("jobs:read"));
        var folded = nginx("GET", "/api/jobs").header("Authorization", "Bearer " + limited)
                .header(ForwardAuthResource.AUTH_REQUEST_MODE, "nginx").get("/forward-auth").then().statusCode(403)
                .header("X-Gatehouse-Status", "429")
                .header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .header("X-RateLimit-Limit", "1")
                .extract().header("X-Gatehouse-Body");
        var body = io.restassured.path.json.JsonPath.from(folded);
        org.junit.jupiter.api.Assertions.assertEquals(429, body.getInt("status"));
        org.junit.jupiter.api.Assertions.assertTrue(body.getString("message").startsWith("Rate limit exceeded. Retry after "), folded);
        // 401 stays 401, and says so too.
        nginx("GET", "/api/jobs").header(ForwardAuthResource.AUTH_REQUEST_MODE, "nginx").get("/forward-auth").then().statusCode(401)
                .header("X-Gatehouse-Status", "401")
                .header("X-Gatehouse-Body", containsString("Missing or invalid API key"));
    }
}
