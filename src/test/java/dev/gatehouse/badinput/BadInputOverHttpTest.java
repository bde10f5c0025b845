package dev.gatehouse.badinput;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.junit.jupiter.api.Test;

/**
 * Property-based bad input through the real HTTP interface (issue 9 §6), generated with jqwik's
 * arbitraries: hostile credentials (JWS with {@code alg: none}, injected {@code kid}, huge or wrong
 * {@code typ}, random headers), JSON bodies and token-endpoint forms. Every answer is a refusal in the
 * documented shape, never a 5xx, and a refused request stores nothing (the database is checked).
 */
@QuarkusTest
class BadInputOverHttpTest {
    private static final int CASES = 150;
    private static final RestAssuredConfig BYTES = RestAssuredConfig.config()
            .encoderConfig(EncoderConfig.encoderConfig().defaultContentCharset(StandardCharsets.UTF_8));

    @Inject
    AgroalDataSource database;

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Signed-looking tokens an attacker crafts: no signature, a forged header, a planted key id. */
    private static Arbitrary<String> hostileJws() {
        Arbitrary<String> alg = Arbitraries.of("none", "None", "HS256", "ES256", "RS256", "", "ES256\u0000", "dir");
        Arbitrary<String> kid = Arbitraries.oneOf(Arbitraries.of("../../../etc/passwd", "' OR '1'='1", "http://evil.example/jwks",
                "\u0000", ""), Arbitraries.strings().ofMaxLength(100), Arbitraries.strings().alpha().ofMinLength(2000).ofMaxLength(4000));
        Arbitrary<String> typ = Arbitraries.oneOf(Arbitraries.of("at+jwt", "JWT", "oauth-id-jag+jwt", "", "application/at+jwt"),
                Arbitraries.strings().alpha().ofMinLength(1000).ofMaxLength(3000)); // huge, yet within the header limit
        Arbitrary<String> signature = Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.strings().alpha().ofMaxLength(90));
        return Combinators.combine(alg, kid, typ, signature).as((a, k, t, s) -> b64("{\"alg\":\"" + a + "\",\"kid\":\"" + escape(k)
                + "\",\"typ\":\"" + escape(t) + "\"}") + "." + b64("{\"sub\":\"" + UUID.randomUUID() + "\",\"scope\":\"profile:read\","
                + "\"iss\":\"http://localhost:8080\",\"aud\":\"http://localhost:8080\",\"exp\":4102444800}") + "." + s);
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> out.append(c < 0x20 || c == '"' || c == '\\' ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return out.toString();
    }

    private static void notA5xx(Response answer, String what) {
        assertTrue(answer.statusCode() < 500, what + " answered " + answer.statusCode() + ": " + answer.asString());
    }

    @Test
    void hostileTokensAndHeadersAreRefusedNeverFailed() {
        hostileJws().sampleStream().limit(CASES).forEach(jws -> {
            Response answer = given().config(BYTES).header("Authorization", "Bearer " + jws).get("/v1/me");
            notA5xx(answer, "a forged JWS");
            assertTrue(answer.statusCode() == 401 || answer.statusCode() == 431 || answer.statusCode() == 400,
                    "refused: " + answer.statusCode());
        });
        net.jqwik.api.arbitraries.StringArbitrary printable = Arbitraries.strings().withCharRange(' ', '~');
        Arbitraries.oneOf(printable.ofMaxLength(300), printable.ofMaxLength(300).map(s -> "Bearer " + s),
                printable.ofMaxLength(300).map(s -> "Basic " + s), printable.ofMinLength(4000).ofMaxLength(6000))
                .sampleStream().limit(CASES).forEach(value -> {
                    // Within the server's header limits (quarkus.http.limits.max-header-size, 20 KB): past them the
                    // connection is refused before any of Gatehouse runs.
                    Response answer = given().header("Authorization", value)
                            .header("X-Api-Key", value.substring(0, Math.min(200, value.length()))).get("/v1/me");
                    notA5xx(answer, "Authorization: " + value.substring(0, Math.min(40, value.length())));
                    assertTrue(answer.statusCode() != 200, "nothing random is let in");
                });
    }

    @Test
    void badKeyRequestsAreRefusedAndStoreNothing() throws Exception {
        String session = Http.signUpSomeone();
        long before = apiKeys();
        Arbitrary<Object> value = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(300).map(s -> (Object) s),
                Arbitraries.integers().map(i -> (Object) i), Arbitraries.just(null), Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.strings().ofMaxLength(20).list().ofMaxSize(5).map(l -> (Object) l),
                Arbitraries.of("not-a-cidr", "10.0.0.0/33", "::/200", "2999-01-01T00:00:00Z", "yesterday").list().ofMaxSize(3).map(l -> (Object) l));
        Arbitrary<String> field = Arbitraries.of("label", "scopes", "expiresAt", "environment", "ipAllowlist", "rawKey", "id", "__proto__");
        Combinators.combine(field, value).as((f, v) -> (Map.Entry<String, Object>) new java.util.AbstractMap.SimpleEntry<String, Object>(f, v)).list().ofMaxSize(5).sampleStream().limit(CASES).forEach(pairs -> {
            java.util.Map<String, Object> body = new java.util.HashMap<>();
            pairs.forEach(pair -> body.put(pair.getKey(), pair.getValue()));
            body.put("scopes", body.getOrDefault("scopes", "not a list")); // keep every body invalid one way or another
            Response answer = Http.asPerson(session).contentType(ContentType.JSON).body(body).post("/settings/api-keys");
            notA5xx(answer, "POST /settings/api-keys " + body);
            assertTrue(answer.statusCode() == 400, "refused: " + answer.statusCode() + " " + body);
        });
        assertEquals(before, apiKeys(), "no refused request stored a key");
    }

    @Test
    void badTokenRequestsAreOAuthErrorsNeverFailures() {
        Arbitrary<String> grant = Arbitraries.of("authorization_code", "refresh_token", "client_credentials", "password", "implicit",
                "urn:ietf:params:oauth:grant-type:jwt-bearer", "", "urn:x");
        Arbitrary<String> junk = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(200), Arbitraries.strings().alpha().ofLength(43));
        Combinators.combine(grant, junk, junk, junk).as((g, a, b, c) -> Map.of("grant_type", g, "code", a, "refresh_token", b,
                "client_id", c.isEmpty() ? "x" : c, "code_verifier", a, "redirect_uri", b, "assertion", c))
                .sampleStream().limit(CASES).forEach(form -> {
                    Response answer = given().config(BYTES).contentType(ContentType.URLENC).formParams(form).post("/oauth2/token");
                    notA5xx(answer, "POST /oauth2/token " + form.get("grant_type"));
                    assertTrue(answer.statusCode() == 400 || answer.statusCode() == 401, "an OAuth error: " + answer.statusCode());
                    assertTrue(answer.asString().contains("\"error\""), "in RFC 6749 §5.2's shape: " + answer.asString());
                });
    }

    @Test
    void badSignInsAndSignUpsAreRefusedNeverFailed() {
        Arbitrary<String> text = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(300),
                Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMinLength(1).ofMaxLength(5).map(c -> "a" + c + "@example.test"),
                Arbitraries.strings().ofMinLength(2000).ofMaxLength(3000));
        Combinators.combine(text, text).as((email, password) -> Map.of("email", email, "password", password))
                .sampleStream().limit(CASES).forEach(body -> {
                    Response signIn = given().config(BYTES).contentType(ContentType.JSON).body(body).post("/login");
                    notA5xx(signIn, "POST /login");
                    assertTrue(signIn.statusCode() == 400 || signIn.statusCode() == 401 || signIn.statusCode() == 429,
                            "refused: " + signIn.statusCode());
                    Response signUp = given().config(BYTES).contentType(ContentType.JSON).body(body).post("/signup");
                    notA5xx(signUp, "POST /signup");
                });
    }

    /** Every API key in the store (nothing else mints while this test runs). */
    private long apiKeys() throws Exception {
        try (Connection connection = database.getConnection();
                PreparedStatement query = connection.prepareStatement("select count(*) from token where kind = 'api_key'");
                ResultSet result = query.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }
}
