package dev.gatehouse.leak;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.gatehouse.testing.Http;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** With no GitHub signing key configured, the secret scanning endpoint does not exist (specs.md §10.2). */
@QuarkusTest
class SecretScanningOffTest {
    @Test
    void withoutKeysTheEndpointAnswers404AndRevokesNothing() {
        String key = Http.mintRawKey(Http.signUpSomeone(), "profile:read");
        given().contentType("application/json")
                .header("Github-Public-Key-Identifier", "any")
                .header("Github-Public-Key-Signature", "MEUCIQ==")
                .body("[{\"token\":\"" + key + "\",\"type\":\"gatehouse_api_key\",\"url\":\"\",\"source\":\"content\"}]")
                .post("/secret-scanning/report")
                .then().statusCode(404).body("status", equalTo(404));
        Http.me(key).then().statusCode(200);
    }
}
