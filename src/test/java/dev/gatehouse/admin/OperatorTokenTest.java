package dev.gatehouse.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.OAuthDriver;
import dev.gatehouse.testing.OAuthFlow;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * /admin/* also takes an operator's first-party access token with the scope gatehouse:admin (issue 9 §1).
 * Only the people listed in gatehouse.admin.operators are ever granted it; anyone else's token, a third
 * party's, or an API key finds no admin API at all (404).
 */
@QuarkusTest
@TestProfile(OperatorTokenTest.WithAnOperator.class)
class OperatorTokenTest {
    /** A constant: the profile is read in another class loader, where a random value would differ. */
    static final String OPERATOR = "the-operator@operators.example.test";

    public static class WithAnOperator implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gatehouse.admin.operators", OPERATOR);
        }
    }

    private static String operatorSession;

    /** The operator signs up once, whichever test comes first. */
    private static synchronized String operatorSession() {
        if (operatorSession == null) {
            operatorSession = Http.signUp(OPERATOR);
        }
        return operatorSession;
    }

    private static JsonPath dashboardTokens(String session, String scope) {
        return OAuthDriver.tokensFor(session, OAuthDriver.DASHBOARD, null, scope);
    }

    @Test
    void anOperatorsDashboardTokenWithTheAdminScopeCallsTheAdminApi() {
        JsonPath tokens = dashboardTokens(operatorSession(), "gatehouse:admin");
        assertTrue(tokens.getString("scope").contains("gatehouse:admin"), tokens.prettify());
        given().header("Authorization", "Bearer " + tokens.getString("access_token")).get("/admin/clients").then().statusCode(200);
        given().header("Authorization", "Bearer " + tokens.getString("access_token")).queryParam("email", OPERATOR)
                .get("/admin/owners").then().statusCode(200);
    }

    @Test
    void nobodyElseIsGrantedTheScopeOrGetsIn() {
        String session = Http.signUpSomeone();
        JsonPath tokens = dashboardTokens(session, "gatehouse:admin profile:read");
        assertFalse(tokens.getString("scope").contains("gatehouse:admin"), "granted less, as RFC 6749 §3.3 allows: " + tokens.prettify());
        given().header("Authorization", "Bearer " + tokens.getString("access_token")).get("/admin/clients").then().statusCode(404);

        // A third party's token and an API key: no admin API either, whoever holds them.
        String operatorSession = operatorSession();
        String thirdParty = OAuthDriver.tokensFor(operatorSession, OAuthFlow.DEMO_CLIENT, OAuthFlow.DEMO_SECRET, "profile:read")
                .getString("access_token");
        given().header("Authorization", "Bearer " + thirdParty).get("/admin/clients").then().statusCode(404);
        String key = Http.mintRawKey(operatorSession, "profile:read");
        given().header("Authorization", "Bearer " + key).get("/admin/clients").then().statusCode(404)
                .body(not(containsString("gatehouse:admin")));
        given().header("Authorization", "Bearer not-a-token").get("/admin/clients").then().statusCode(404);
    }
}
