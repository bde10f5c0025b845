package dev.gatehouse.leak;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.pat.ApiKeyFormat;
import dev.gatehouse.pat.KeyAlphabet;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.MailServer;
import dev.gatehouse.testing.SecretScanner;
import dev.gatehouse.testing.SecretScanner.SigningKey;
import dev.gatehouse.token.Environment;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * GitHub's secret scanning partner program, provider side (specs.md §10.2): a report signed by GitHub
 * revokes every token of ours in it at once, tells the owner without repeating the key, and answers
 * GitHub's feedback; a report that is unsigned, badly signed or malformed revokes nothing.
 */
@QuarkusTest
@TestProfile(SecretScanningTest.Profile.class)
class SecretScanningTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TYPE = "gatehouse_api_key";
    private static final String LEAK_URL = "https://github.com/octo-org/octo-app/blob/0a1b2c3d/config/prod.env";

    /** Real mail (GreenMail) and GitHub's keys: one pinned in configuration, others at a keys URL on loopback. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(MailServer.class), new TestResourceEntry(SecretScanner.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    // Short, so the rotation test need not wait long for the next allowed fetch.
                    "gatehouse.secret-scanning.keys-refetch-interval", "5s",
                    "gatehouse.secret-scanning.max-entries", "20",
                    "gatehouse.secret-scanning.max-body-bytes", "16384");
        }
    }

    @Inject
    AgroalDataSource database;

    private static Map<String, Object> entry(String token, String url) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("token", token);
        entry.put("type", TYPE);
        entry.put("url", url);
        entry.put("source", "content");
        return entry;
    }

    private static String body(String... tokens) throws Exception {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (String token : tokens) {
            entries.add(entry(token, LEAK_URL));
        }
        return JSON.writeValueAsString(entries);
    }

    /** Sends {@code body} byte for byte, with the headers GitHub sets (specs.md §10.2). */
    private static Response send(String body, String keyId, String signature) {
        var request = given().contentType("application/json");
        if (keyId != null) {
            request.header("Github-Public-Key-Identifier", keyId);
        }
        if (signature != null) {
            request.header("Github-Public-Key-Signature", signature);
        }
        return request.body(body.getBytes(StandardCharsets.UTF_8)).post("/secret-scanning/report");
    }

    private static Response signedBy(SigningKey key, String body) {
        return send(body, key.id(), SecretScanner.sign(key, body.getBytes(StandardCharsets.UTF_8)));
    }

    private static Response signed(String body) {
        return signedBy(SecretScanner.pinned(), body);
    }

    private static String sha256(String token) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    }

    /** A key in this deployment's format, checksum included, that was never issued. */
    private static String wellFormedStranger() {
        return new ApiKeyFormat("gth_live_", "gth_test_", KeyAlphabet.BASE62, 32).mint(Environment.LIVE).plaintext();
    }

    private static void assertRefusedWith(int status, Response response) {
        response.then().statusCode(status).contentType(containsString("application/json"))
                .body("status", equalTo(status)).body("message", not(equalTo(null)));
    }

    private List<Map<String, Object>> reportRows(String tokenId) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection connection = database.getConnection();
                PreparedStatement query = connection.prepareStatement("select token_type, source, url, revoked_by_report, "
                        + "reported_at, r::text as whole from leaked_key_report r where token_id = ? order by reported_at")) {
            query.setObject(1, UUID.fromString(tokenId));
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    rows.add(Map.of("token_type", result.getString(1), "source", result.getString(2),
                            "url", String.valueOf(result.getString(3)), "revoked_by_report", result.getBoolean(4),
                            "reported_at", result.getTimestamp(5), "whole", result.getString(6)));
                }
            }
        }
        return rows;
    }

    @Test
    void aSignedReportRevokesTheKeyAnswersTruePositiveAndTellsTheOwnerWithoutTheKey() throws Exception {
        String email = Http.newEmail();
        String session = Http.signUp(email);
        Map<String, Object> minted = Http.mintKey(session, List.of("profile:read"));
        String key = (String) minted.get("rawKey");
        String prefix = (String) minted.get("keyPrefix");
        String id = (String) minted.get("id");
        Http.me(key).then().statusCode(200);

        Response answer = signed(body(key));
        answer.then().statusCode(200).contentType(containsString("application/json"))
                .body("size()", equalTo(1))
                .body("[0].token_hash", equalTo(sha256(key)))
                .body("[0].token_type", equalTo(TYPE))
                .body("[0].label", equalTo("true_positive"));
        assertFalse(answer.asString().contains(key), "the answer never echoes the token");
        Http.me(key).then().statusCode(401);

        List<MimeMessage> mail = MailServer.messagesTo(email);
        assertEquals(1, mail.size(), "one mail to the owner");
        String text = String.valueOf(mail.getFirst().getContent());
        assertTrue(text.contains(prefix), "the mail names the key by its prefix: " + text);
        assertTrue(text.contains("test key"), "the mail names the key by its label: " + text);
        assertTrue(text.contains(LEAK_URL), "the mail says where it was found: " + text);
        assertFalse(text.contains(key), "the mail never contains the key");
        assertFalse(mail.getFirst().getSubject().contains(key));

        List<Map<String, Object>> rows = reportRows(id);
        assertEquals(1, rows.size(), "the report is recorded");
        assertEquals(TYPE, rows.getFirst().get("token_type"));
        assertEquals("content", rows.getFirst().get("source"));
        assertEquals(LEAK_URL, rows.getFirst().get("url"));
        assertEquals(true, rows.getFirst().get("revoked_by_report"));
        assertFalse(String.valueOf(rows.getFirst().get("whole")).contains(key), "the record never holds the key");

        // Reported again (a copy in a fork): still ours and leaked, so true_positive, but no second mail.
        String fork = LEAK_URL.replace("octo-org", "a-fork");
        signed(JSON.writeValueAsString(List.of(entry(key, fork)))).then().statusCode(200).body("[0].label", equalTo("true_positive"));
        Http.me(key).then().statusCode(401);
        rows = reportRows(id);
        assertEquals(2, rows.size());
        assertEquals(false, rows.get(1).get("revoked_by_report"));
        // The same report sent again (GitHub retrying, or a replay) records nothing new.
        signed(body(key)).then().statusCode(200).body("[0].label", equalTo("true_positive"));
        assertEquals(2, reportRows(id).size(), "a repeated report adds no row");
        Thread.sleep(500);
        assertEquals(1, MailServer.messagesTo(email).size(), "only the report that revoked the key mails the owner");

        String log = Files.readString(Path.of("target/gatehouse-test.log"));
        assertTrue(log.contains(prefix), "the scan reads the log it should");
        assertFalse(log.contains(key), "a reported key reached the log");
    }

    @Test
    void anAgentsKeyIsRevokedToo() throws Exception {
        String key = given().contentType("application/json").body(Map.of("type", "anonymous", "requested_credential_type", "api_key"))
                .post("/agent/auth").then().statusCode(200).extract().path("credential");
        Http.me(key).then().statusCode(200).body("key.kind", equalTo("agent"));

        signed(body(key)).then().statusCode(200).body("[0].label", equalTo("true_positive"))
                .body("[0].token_hash", equalTo(sha256(key)));
        Http.me(key).then().statusCode(401);
    }

    @Test
    void aSignatureOfAnotherBodyIsRefusedAndRevokesNothing() throws Exception {
        String key = Http.mintRawKey(Http.signUpSomeone(), "profile:read");
        String body = body(key);
        String signature = SecretScanner.sign(SecretScanner.pinned(), body.getBytes(StandardCharsets.UTF_8));
        String keyId = SecretScanner.pinned().id();

        // The same report with one more entry, and the same JSON with different spacing: other bytes.
        assertRefusedWith(401, send(body(key, wellFormedStranger()), keyId, signature));
        assertRefusedWith(401, send(body.replace(",", ", "), keyId, signature));
        // A key GitHub does not hold, under GitHub's key id; a signature that is not base64, or not DER.
        assertRefusedWith(401, send(body, keyId, SecretScanner.sign(SecretScanner.stranger(keyId), body.getBytes(StandardCharsets.UTF_8))));
        assertRefusedWith(401, send(body, keyId, "%%% not base64 %%%"));
        assertRefusedWith(401, send(body, keyId, "bm90IGEgc2lnbmF0dXJl"));
        Http.me(key).then().statusCode(200);

        // The untouched body with its own signature is accepted: the refusals above were about the bytes.
        send(body, keyId, signature).then().statusCode(200).body("[0].label", equalTo("true_positive"));
        Http.me(key).then().statusCode(401);
    }

    @Test
    void aReportWithoutSignatureIsRefusedAndRevokesNothing() throws Exception {
        String key = Http.mintRawKey(Http.signUpSomeone(), "profile:read");
        String body = body(key);
        String signature = SecretScanner.sign(SecretScanner.pinned(), body.getBytes(StandardCharsets.UTF_8));

        assertRefusedWith(401, send(body, null, null));
        assertRefusedWith(401, send(body, SecretScanner.pinned().id(), null));
        assertRefusedWith(401, send(body, null, signature));
        assertRefusedWith(401, send(body, SecretScanner.pinned().id(), ""));
        Http.me(key).then().statusCode(200);
    }

    @Test
    void aKeyIdGitHubNeverPublishedIsRefusedAndRevokesNothing() throws Exception {
        String key = Http.mintRawKey(Http.signUpSomeone(), "profile:read");
        String body = body(key);

        assertRefusedWith(401, signedBy(SecretScanner.stranger("0123456789abcdef"), body));
        // The pinned key's signature, under an id that is not its own.
        assertRefusedWith(401, send(body, "0123456789abcdef", SecretScanner.sign(SecretScanner.pinned(), body.getBytes(StandardCharsets.UTF_8))));
        Http.me(key).then().statusCode(200);
    }

    @Test
    void aMalformedReportWithAValidSignatureIsRefusedAndRevokesNothing() throws Exception {
        String key = Http.mintRawKey(Http.signUpSomeone(), "profile:read");
        String valid = JSON.writeValueAsString(entry(key, LEAK_URL));

        for (String body : List.of(
                valid,                                               // an object, not an array
                "[" + valid + ",{\"token\":42,\"type\":\"" + TYPE + "\"}]", // a good entry, then a bad one
                "[" + valid + ",{\"type\":\"" + TYPE + "\"}]",        // no token
                "[" + valid + ",{\"token\":\"\",\"type\":\"" + TYPE + "\"}]",
                "[" + valid + "] trailing",
                "[" + valid,
                "")) {
            Response refused = signed(body);
            assertRefusedWith(400, refused);
            assertFalse(refused.asString().contains(key), "an error never quotes the report");
        }
        Http.me(key).then().statusCode(200);
    }

    @Test
    void aReportOverTheLimitsIsRefusedAndRevokesNothing() throws Exception {
        String key = Http.mintRawKey(Http.signUpSomeone(), "profile:read");
        String[] tooMany = new String[21];
        java.util.Arrays.fill(tooMany, key);
        assertRefusedWith(413, signed(body(tooMany)));

        List<Map<String, Object>> big = new ArrayList<>(List.of(entry(key, LEAK_URL)));
        big.add(entry(wellFormedStranger(), "https://github.com/" + "x".repeat(17_000)));
        assertRefusedWith(413, signed(JSON.writeValueAsString(big)));
        Http.me(key).then().statusCode(200);
    }

    @Test
    void anUnknownTokenIsAFalsePositive() throws Exception {
        List<String> strangers = List.of(wellFormedStranger(), "gth_live_notARealKeyAtAll", "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");
        Response answer = signed(body(strangers.toArray(String[]::new)));
        answer.then().statusCode(200).body("size()", equalTo(3));
        for (int i = 0; i < strangers.size(); i++) {
            answer.then().body("[" + i + "].token_hash", equalTo(sha256(strangers.get(i))))
                    .body("[" + i + "].token_type", equalTo(TYPE))
                    .body("[" + i + "].label", equalTo("false_positive"));
        }
    }

    @Test
    void aMixedReportAnswersOnePerTokenInOrder() throws Exception {
        String key = Http.mintRawKey(Http.signUpSomeone(), "profile:read");
        String other = Http.mintRawKey(Http.signUpSomeone(), "profile:read");
        String stranger = wellFormedStranger();
        List<String> tokens = List.of(stranger, key, "not-a-key", other);
        List<String> labels = List.of("false_positive", "true_positive", "false_positive", "true_positive");

        List<Map<String, Object>> entries = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            // url may be empty or absent (specs.md §10.2); other types come under their own names.
            Map<String, Object> entry = entry(tokens.get(i), i == 1 ? "" : LEAK_URL);
            entry.put("type", TYPE + "_" + i);
            if (i == 3) {
                entry.remove("url");
            }
            entries.add(entry);
        }
        Response answer = signed(JSON.writeValueAsString(entries));
        answer.then().statusCode(200).body("size()", equalTo(tokens.size()));
        for (int i = 0; i < tokens.size(); i++) {
            answer.then().body("[" + i + "].token_hash", equalTo(sha256(tokens.get(i))))
                    .body("[" + i + "].token_type", equalTo(TYPE + "_" + i))
                    .body("[" + i + "].label", equalTo(labels.get(i)));
        }
        Http.me(key).then().statusCode(401);
        Http.me(other).then().statusCode(401);
    }

    /** GitHub's keys come from its keys URL too; a rotated key is fetched when a report first names it. */
    @Test
    void keysPublishedAtTheKeysUrlAreUsedAndARotationIsFetchedOnce() throws Exception {
        String key = Http.mintRawKey(Http.signUpSomeone(), "profile:read");
        signedBy(SecretScanner.published(), body(key)).then().statusCode(200).body("[0].label", equalTo("true_positive"));
        Http.me(key).then().statusCode(401);

        SigningKey rotated = SecretScanner.rotate();
        String next = Http.mintRawKey(Http.signUpSomeone(), "profile:read");
        String body = body(next);
        int before = SecretScanner.fetches();
        // An earlier test's unknown key id may have used up this interval's fetch: wait for the next one.
        long deadline = System.currentTimeMillis() + 15_000;
        Response answer = signedBy(rotated, body);
        while (answer.statusCode() == 401 && System.currentTimeMillis() < deadline) {
            Http.me(next).then().statusCode(200); // a refused report revokes nothing
            Thread.sleep(250);
            answer = signedBy(rotated, body);
        }
        answer.then().statusCode(200).body("[0].label", equalTo("true_positive"));
        assertEquals(before + 1, SecretScanner.fetches(), "one fetch for the new key, however many reports named it");
        Http.me(next).then().statusCode(401);

        // Right after a fetch, an id nobody published costs no further fetch: attackers cannot make us call out.
        String third = Http.mintRawKey(Http.signUpSomeone(), "profile:read");
        for (int i = 0; i < 3; i++) {
            assertRefusedWith(401, signedBy(SecretScanner.stranger("made-up-" + i), body(third)));
        }
        assertEquals(before + 1, SecretScanner.fetches(), "made-up key ids must not each cause a fetch");
        Http.me(third).then().statusCode(200);
    }
}
