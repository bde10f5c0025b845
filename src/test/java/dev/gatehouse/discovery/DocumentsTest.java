package dev.gatehouse.discovery;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.startsWith;

import dev.gatehouse.testing.OAuthFlow;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The documents an agent reads: auth.md, the RFC 9727 catalog, the OpenAPI description. */
@QuarkusTest
class DocumentsTest {

    @Test
    void authMdIsMarkdownWrittenFromTheLiveConfiguration() {
        String skill = given().get("/.well-known/oauth-authorization-server").then().statusCode(200)
                .body("agent_auth.skill", endsWith("/auth.md")).extract().path("agent_auth.skill");
        given().get(OAuthFlow.pathOf(skill)).then().statusCode(200)
                .contentType(startsWith("text/markdown"))
                .body(startsWith("# auth.md"))
                .body(containsString("POST http://localhost:8080/agent/auth"))
                .body(containsString("resource_metadata=\"http://localhost:8080/.well-known/oauth-protected-resource\""))
                // Every scope of the catalogue, with its one-line description.
                .body(containsString("- `profile:read`: Read the account profile"))
                .body(containsString("- `settings:write`: Change settings"))
                .body(containsString("`otp_invalid`"));
    }

    @Test
    void rfc9727_2_apiCatalogIsALinksetAndHeadLinksToIt() {
        given().get("/.well-known/api-catalog").then().statusCode(200)
                .contentType(startsWith("application/linkset+json"))
                .header("Content-Type", containsString("profile=\"https://www.rfc-editor.org/info/rfc9727\""))
                .body("linkset[0].anchor", equalTo("http://localhost:8080"))
                .body("linkset[0].service-desc[0].href", endsWith("/openapi.json"))
                .body("linkset[0].service-doc[0].href", endsWith("/auth.md"));
        given().head("/.well-known/api-catalog").then().statusCode(200)
                .header("Link", equalTo("<http://localhost:8080/.well-known/api-catalog>; rel=\"api-catalog\""));
    }

    @Test
    void openApiJsonDescribesEveryEndpoint() {
        given().get("/openapi.json").then().statusCode(200)
                .contentType(startsWith("application/json"))
                .body("openapi", startsWith("3."))
                .body("paths", hasKey("/settings/api-keys"))
                .body("paths", hasKey("/v1/me"))
                .body("paths", hasKey("/oauth2/token"))
                .body("paths", hasKey("/oauth2/authorize"))
                .body("paths", hasKey("/agent/auth"))
                .body("paths", hasKey("/agent/auth/claim/complete"))
                .body("paths", hasKey("/.well-known/api-catalog"));
    }
}
