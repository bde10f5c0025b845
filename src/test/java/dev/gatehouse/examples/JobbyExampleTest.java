package dev.gatehouse.examples;

import static dev.gatehouse.testing.Http.me;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.ExampleFile;
import dev.gatehouse.testing.Http;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** examples/jobby.properties through HTTP: seed 000's jbb_ + base32 keys as bearer tokens. */
@QuarkusTest
@TestProfile(ExampleFile.Jobby.class)
class JobbyExampleTest {

    @Test
    void keysAreJbbBase32BearerTokens() {
        String rawKey = Http.mintRawKey(Http.signUpSomeone(), "profile:read");
        assertTrue(rawKey.matches("jbb_[a-z2-7]{39}"), rawKey);
        me(rawKey).then().statusCode(200);
        io.restassured.RestAssured.given().header("X-API-Key", rawKey).get("/v1/me").then().statusCode(401);
    }
}
