package dev.gatehouse.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What a test does through the real HTTP interface, in the words of the API. */
public final class Http {
    public static final String PASSWORD = "correct horse battery staple";
    public static final String SESSION_COOKIE = "gatehouse_session";

    private Http() {
    }

    public static String newEmail() {
        return "person-" + UUID.randomUUID() + "@example.test";
    }

    /** Signs a new person up by JSON and returns their session cookie. */
    public static String signUp(String email) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", PASSWORD))
                .post("/signup")
                .then().statusCode(201)
                .extract().cookie(SESSION_COOKIE);
    }

    public static String signUpSomeone() {
        return signUp(newEmail());
    }

    public static RequestSpecification asPerson(String session) {
        return given().cookie(SESSION_COOKIE, session);
    }

    /** POST /settings/api-keys; the raw answer, for tests of refusals. */
    public static Response createKey(String session, Map<String, Object> body) {
        return asPerson(session).contentType(ContentType.JSON).body(body).post("/settings/api-keys");
    }

    /** Mints a key and returns the whole 201 answer as a map (rawKey included). */
    public static Map<String, Object> mintKey(String session, List<String> scopes) {
        return mintKey(session, scopes, null);
    }

    public static Map<String, Object> mintKey(String session, List<String> scopes, Instant expiresAt) {
        Map<String, Object> body = new HashMap<>();
        body.put("label", "test key");
        body.put("scopes", scopes);
        if (expiresAt != null) {
            body.put("expiresAt", expiresAt.toString());
        }
        return createKey(session, body).then().statusCode(201).extract().jsonPath().getMap("");
    }

    public static String mintRawKey(String session, String... scopes) {
        return (String) mintKey(session, List.of(scopes)).get("rawKey");
    }

    public static Response me(String key) {
        return given().header("Authorization", "Bearer " + key).get("/v1/me");
    }

    public static List<Map<String, Object>> listKeys(String session) {
        return asPerson(session).get("/settings/api-keys").then().statusCode(200).extract().jsonPath().getList("keys");
    }

    /** One line of /q/metrics, as a number (0 when absent). */
    public static double metric(String nameWithLabels) {
        String body = dev.gatehouse.testing.Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        return body.lines().filter(line -> line.startsWith(nameWithLabels + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0);
    }
}
