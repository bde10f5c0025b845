package dev.gatehouse.examples;

import static dev.gatehouse.testing.Http.me;
import static dev.gatehouse.testing.Http.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.ExampleFile;
import dev.gatehouse.testing.Http;
import dev.gatehouse.token.Environment;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** examples/jobby.properties through HTTP: seed 000's jbb_ + 32 base32 keys as bearer tokens. */
@QuarkusTest
@TestProfile(ExampleFile.Jobby.class)
class JobbyExampleTest {
    static final String DATABASE_LOOKUPS = "gatehouse_token_lookups_total{source=\"database\"}";

    @Test
    void keysAreJbbAndExactly32Base32CharactersSentAsBearerTokens() {
        String rawKey = Http.mintRawKey(Http.signUpSomeone(), "profile:read");
        assertTrue(rawKey.matches("jbb_[a-z2-7]{32}"), rawKey);
        me(rawKey).then().statusCode(200);
        io.restassured.RestAssured.given().header("X-API-Key", rawKey).get("/v1/me").then().statusCode(401);
    }

    @Test
    void aKeyWithOneCharacterChangedIsRefusedBeforeAnyLookup() {
        String rawKey = Http.mintRawKey(Http.signUpSomeone(), "profile:read");
        double before = metric(DATABASE_LOOKUPS);
        for (int i : new int[] {4, 17, 29, 30, 35}) {
            char c = rawKey.charAt(i);
            String typo = rawKey.substring(0, i) + (c == 'q' ? 'r' : 'q') + rawKey.substring(i + 1);
            me(typo).then().statusCode(401);
        }
        assertEquals(before, metric(DATABASE_LOOKUPS), "a checksum-invalid key never reaches PostgreSQL");

        // The counter does move for a well-formed Jobby key that is merely unknown, so the check above can fail.
        String unknown = ExampleConfigurationsTest.formatOf(ExampleFile.load("jobby")).mint(Environment.LIVE).plaintext();
        me(unknown).then().statusCode(401);
        assertEquals(before + 1, metric(DATABASE_LOOKUPS), "an unknown well-formed key is looked up");
    }
}
