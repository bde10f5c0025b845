package dev.gatehouse.audit;

import static dev.gatehouse.testing.Operator.asOperator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The audit log (issue 9 §2), through HTTP against PostgreSQL: what a person does and what is done to
 * their account is recorded with actor, subject, address and user agent and no secret; they read their
 * own at /settings/audit, operators everything at /admin/audit with filters and cursor paging; rows are
 * append-only.
 */
@QuarkusTest
class AuditLogTest {
    @Inject
    AgroalDataSource database;

    private static List<Map<String, Object>> own(String session, String query) {
        return Http.asPerson(session).get("/settings/audit" + query).then().statusCode(200).extract().jsonPath().getList("events");
    }

    @Test
    void aPersonSeesTheirOwnSecurityEventsWithNoSecretInThem() throws Exception {
        String email = Http.newEmail();
        String session = Http.signUp(email);
        given().contentType(ContentType.JSON).header("User-Agent", "audit-test/1.0")
                .body(Map.of("email", email, "password", "wrong password")).post("/login").then().statusCode(401);
        String signedIn = given().contentType(ContentType.JSON).header("User-Agent", "audit-test/1.0")
                .body(Map.of("email", email, "password", Http.PASSWORD)).post("/login").then().statusCode(200)
                .extract().cookie(Http.SESSION_COOKIE);
        Map<String, Object> key = Http.mintKey(signedIn, List.of("profile:read"));
        String raw = (String) key.get("rawKey");
        Http.asPerson(signedIn).delete("/settings/api-keys/" + key.get("id")).then().statusCode(204);

        List<Map<String, Object>> events = own(session, "");
        List<String> types = events.stream().map(event -> (String) event.get("type")).toList();
        assertEquals(List.of("api_key.revoked", "api_key.minted", "sign_in.succeeded", "sign_in.failed"), types.subList(0, 4),
                "newest first: " + types);
        Map<String, Object> minted = events.get(1);
        assertEquals(key.get("id"), minted.get("subject"));
        assertEquals("person", ((Map<?, ?>) minted.get("actor")).get("kind"));
        Map<String, Object> failed = events.get(3);
        assertEquals("audit-test/1.0", failed.get("userAgent"));
        assertEquals("anonymous", ((Map<?, ?>) failed.get("actor")).get("kind"));
        assertTrue(failed.get("clientAddress") != null, "the caller's address is recorded");

        // No secret anywhere in the log: not the key, not the password.
        String all = Http.asPerson(session).get("/settings/audit").asString();
        assertFalse(all.contains(raw), "the key's secret is not in the log");
        assertFalse(all.contains(Http.PASSWORD) || all.contains("wrong password"), "no password in the log");
        try (Connection connection = database.getConnection();
                ResultSet rows = connection.createStatement().executeQuery("select string_agg(row_to_json(a)::text, ' ') from audit_event a")) {
            rows.next();
            assertFalse(rows.getString(1).contains(raw));
            assertFalse(rows.getString(1).contains(Http.PASSWORD));
        }

        // Another person sees none of it; without a session, 401.
        assertTrue(own(Http.signUpSomeone(), "").stream().noneMatch(event -> key.get("id").equals(event.get("subject"))));
        given().get("/settings/audit").then().statusCode(401);
    }

    @Test
    void operatorsReadEverythingFilteredAndPagedAndTheirOwnActionsAreRecorded() {
        String email = Http.newEmail();
        String session = Http.signUp(email);
        String account = asOperator().queryParam("email", email).get("/admin/accounts").then().statusCode(200)
                .extract().path("accounts[0].id");
        for (int i = 0; i < 3; i++) {
            Http.mintKey(session, List.of("profile:read"));
        }
        asOperator().post("/admin/accounts/" + account + "/unlock").then().statusCode(204);

        List<String> seen = new ArrayList<>();
        String next = null;
        do {
            var request = asOperator().queryParam("account", account).queryParam("type", "api_key.minted").queryParam("page_size", 2);
            if (next != null) {
                request.queryParam("page_token", next);
            }
            Response page = request.get("/admin/audit");
            page.then().statusCode(200);
            List<String> types = page.path("events.type");
            assertTrue(types.stream().allMatch("api_key.minted"::equals), types.toString());
            seen.addAll(page.<List<String>>path("events.subject"));
            next = page.path("next_page_token");
        } while (next != null);
        assertEquals(3, seen.size(), "three keys minted: " + seen);

        Response unlocked = asOperator().queryParam("account", account).queryParam("type", "account.unlocked").get("/admin/audit");
        unlocked.then().statusCode(200).body("events.size()", equalTo(1))
                .body("events[0].actor.kind", equalTo("operator")).body("events[0].actor.id", equalTo("admin-token"));
        // The person sees what the operator did to their account.
        assertTrue(own(session, "?type=account.unlocked").size() == 1);

        asOperator().queryParam("type", "no.such.type").get("/admin/audit").then().statusCode(400);
        asOperator().queryParam("since", "yesterday").get("/admin/audit").then().statusCode(400);
        asOperator().queryParam("account", "not-a-uuid").get("/admin/audit").then().statusCode(400);
        asOperator().queryParam("page_token", "abc").get("/admin/audit").then().statusCode(400);
        asOperator().queryParam("since", "2100-01-01T00:00:00Z").get("/admin/audit").then().statusCode(200).body("events.size()", equalTo(0));
        given().get("/admin/audit").then().statusCode(404);
    }

    @Test
    void eventsCannotBeRewritten() throws Exception {
        Object keyId = Http.mintKey(Http.signUpSomeone(), List.of("profile:read")).get("id");
        try (Connection connection = database.getConnection()) {
            SQLException refused = assertThrows(SQLException.class, () -> connection.createStatement()
                    .executeUpdate("update audit_event set type = 'forged' where subject = '" + keyId + "'"));
            assertTrue(refused.getMessage().contains("append-only"), refused.getMessage());
        }
    }
}
