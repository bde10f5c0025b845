package dev.gatehouse.oauth;

import static dev.gatehouse.testing.OAuthDriver.DEMO_CLIENT;
import static dev.gatehouse.testing.OAuthDriver.DEMO_SECRET;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.OAuthDriver;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The management API takes a first-party JWT with the management scope; never a third party's, never an API key. */
@QuarkusTest
class ManagementWithJwtTest {

    @Test
    void theDashboardsTokenManagesThePersonsKeys() {
        String session = Http.signUpSomeone();
        String token = OAuthDriver.tokensFor(session, OAuthDriver.DASHBOARD, null, "keys:manage").getString("access_token");
        String rawKey = given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body(Map.of("label", "from the dashboard", "scopes", List.of("profile:read")))
                .post("/settings/api-keys").then().statusCode(201).body("rawKey", startsWith("gth_live_")).extract().path("rawKey");
        given().header("Authorization", "Bearer " + token).get("/settings/api-keys").then().statusCode(200)
                .body("keys.size()", equalTo(1));
        Http.asPerson(session).get("/settings/api-keys").then().body("keys[0].label", equalTo("from the dashboard"));
        Http.me(rawKey).then().statusCode(200);
    }

    @Test
    void aTokenWithoutTheManagementScopeOrFromAThirdPartyIsRefused() {
        String session = Http.signUpSomeone();
        String dashboardWithoutScope = OAuthDriver.tokensFor(session, OAuthDriver.DASHBOARD, null, "profile:read").getString("access_token");
        given().header("Authorization", "Bearer " + dashboardWithoutScope).get("/settings/api-keys").then().statusCode(403);
        String thirdParty = OAuthDriver.tokensFor(session, DEMO_CLIENT, DEMO_SECRET, "profile:read").getString("access_token");
        given().header("Authorization", "Bearer " + thirdParty).get("/settings/api-keys").then().statusCode(403);
        given().header("Authorization", "Bearer not.a.token").get("/settings/api-keys").then().statusCode(401);
    }
}
