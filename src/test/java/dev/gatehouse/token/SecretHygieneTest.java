package dev.gatehouse.token;

import static dev.gatehouse.testing.Http.me;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Plaintext secrets leave the server once, in the answer that creates them, and are stored or logged nowhere. */
@QuarkusTest
class SecretHygieneTest {
    @Inject
    AgroalDataSource database;

    @Test
    void noPlaintextKeyOrSessionReachesTheTokenTableOrTheLog() throws Exception {
        String session = Http.signUpSomeone();
        List<String> secrets = new ArrayList<>(List.of(session));
        for (String environment : List.of("live", "test")) {
            String key = Http.createKey(session, Map.of("label", "hygiene", "scopes", List.of("profile:read"), "environment", environment))
                    .then().statusCode(201).extract().path("rawKey");
            secrets.add(key);
            me(key).then().statusCode(200);
            given().header("X-API-Key", key).get("/v1/me").then().statusCode(200);
            given().queryParam("api_key", key).get("/v1/me").then().statusCode(400); // the access log sees this URL
            given().contentType(ContentType.JSON).body(Map.of("email", key, "password", key)).post("/login").then().statusCode(401);
        }
        Thread.sleep(500); // one usage flush, so its log lines are written too

        String table = tokenTableAsText();
        assertTrue(table.contains("hygiene"), "the scan reads the rows it should");
        String log = Files.readString(Path.of("target/gatehouse-test.log"));
        assertTrue(log.contains("minted"), "the scan reads the log it should");
        for (int i = 0; i < secrets.size(); i++) {
            assertFalse(table.contains(secrets.get(i)), "plaintext of secret #" + i + " in the token table");
            assertFalse(log.contains(secrets.get(i)), "plaintext of secret #" + i + " in the log");
        }
        assertFalse(log.contains(Http.PASSWORD), "a password in the log");
    }

    private String tokenTableAsText() throws Exception {
        StringBuilder text = new StringBuilder();
        try (Connection connection = database.getConnection();
                ResultSet rows = connection.createStatement().executeQuery(
                        "select t::text, encode(secret_hash, 'escape') from token t")) {
            while (rows.next()) {
                text.append(rows.getString(1)).append('\n').append(rows.getString(2)).append('\n');
            }
        }
        return text.toString();
    }
}
