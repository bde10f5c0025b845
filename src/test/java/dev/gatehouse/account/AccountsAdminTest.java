package dev.gatehouse.account;

import static dev.gatehouse.testing.Operator.asOperator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.OAuthDriver;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The admin API's accounts and their keys (issue 9 §1), through HTTP against PostgreSQL: search and
 * paging, disabling (every token of the account stops at once, sign-in refused), enabling, lifting the
 * sign-in throttle, and listing and revoking an account's keys.
 */
@QuarkusTest
class AccountsAdminTest {

    private static String idOf(String email) {
        List<String> ids = asOperator().queryParam("email", email).get("/admin/accounts").then().statusCode(200)
                .extract().path("accounts.id");
        assertEquals(1, ids.size(), "one account with " + email);
        return ids.get(0);
    }

    private static Response signIn(String email, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("email", email, "password", password)).post("/login");
    }

    @Test
    void accountsAreSearchedByEmailAndPagedInEmailOrder() {
        String fragment = "search-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> emails = new ArrayList<>();
        for (String name : List.of("c", "a", "b")) {
            String email = name + "-" + fragment + "@example.test";
            Http.signUp(email);
            emails.add(email);
        }
        Response first = asOperator().queryParam("email", fragment.toUpperCase()).queryParam("page_size", 2).get("/admin/accounts");
        first.then().statusCode(200).body("accounts.email", equalTo(emails.stream().sorted().toList().subList(0, 2)))
                .body("accounts[0]", not(hasKey("passwordHash"))).body("accounts.disabledAt", everyItem(nullValue()));
        String next = first.path("next_page_token");
        asOperator().queryParam("email", fragment).queryParam("page_size", 2).queryParam("page_token", next).get("/admin/accounts")
                .then().statusCode(200).body("accounts.email", equalTo(List.of(emails.stream().sorted().toList().get(2))))
                .body("next_page_token", nullValue());
        // A LIKE wildcard in the search is a character like any other.
        asOperator().queryParam("email", "%").get("/admin/accounts").then().statusCode(200).body("accounts", equalTo(List.of()));
        asOperator().queryParam("page_size", 501).get("/admin/accounts").then().statusCode(400);
        asOperator().get("/admin/accounts/" + UUID.randomUUID()).then().statusCode(404);
    }

    @jakarta.inject.Inject
    io.agroal.api.AgroalDataSource database;

    /**
     * A key minted while the account is being disabled: the disable (held open here, doing what
     * {@code Accounts.disable} does) locks the account row; the mint's token waits for it, then is refused
     * with 403, so no live token is left for a disabled account (migration V14's trigger).
     */
    @Test
    void aKeyMintedWhileTheAccountIsBeingDisabledIsRefused() throws Exception {
        String email = Http.newEmail();
        String session = Http.signUp(email);
        UUID id = UUID.fromString(idOf(email));
        java.util.concurrent.CompletableFuture<Response> mint;
        try (java.sql.Connection disable = database.getConnection()) {
            disable.setAutoCommit(false);
            try (var lock = disable.prepareStatement("select 1 from account where id = ? for update");
                    var mark = disable.prepareStatement("update account set disabled_at = now() where id = ?");
                    var revoke = disable.prepareStatement("update token set revoked_at = now() where account_id = ? and revoked_at is null")) {
                for (var statement : List.of(lock, mark, revoke)) {
                    statement.setObject(1, id);
                    statement.execute();
                }
            }
            mint = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                    Http.createKey(session, Map.of("label", "racing the disable", "scopes", List.of("profile:read"))));
            try {
                Response early = mint.get(700, java.util.concurrent.TimeUnit.MILLISECONDS);
                throw new AssertionError("the mint finished while the disable held the account: " + early.statusCode());
            } catch (java.util.concurrent.TimeoutException expected) {
                // waiting for the account row
            }
            disable.commit();
        }
        mint.get(10, java.util.concurrent.TimeUnit.SECONDS).then().statusCode(403).body("message", containsString("disabled"));
        assertEquals(0, dev.gatehouse.testing.Database.count(database, "select count(*) from token where account_id = ? and revoked_at is null", id),
                "no live token for a disabled account");
    }

    @Test
    void disablingAnAccountStopsEveryTokenAtOnceAndItsSignIn() {
        String email = Http.newEmail();
        String session = Http.signUp(email);
        String key = Http.mintRawKey(session, "profile:read");
        String jwt = OAuthDriver.tokensFor(session, OAuthDriver.DASHBOARD, null, "keys:manage").getString("access_token");
        Http.me(key).then().statusCode(200);
        given().header("Authorization", "Bearer " + jwt).get("/settings/api-keys").then().statusCode(200);
        String id = idOf(email);

        asOperator().post("/admin/accounts/" + id + "/disable").then().statusCode(200).body("disabledAt", notNullValue());
        Http.me(key).then().statusCode(401);
        given().header("Authorization", "Bearer " + jwt).get("/settings/api-keys").then().statusCode(401);
        Http.asPerson(session).get("/settings/api-keys").then().statusCode(401);
        signIn(email, Http.PASSWORD).then().statusCode(403).body(containsString("disabled"));
        signIn(email, "not the password").then().statusCode(401);

        asOperator().post("/admin/accounts/" + id + "/enable").then().statusCode(200).body("disabledAt", nullValue());
        signIn(email, Http.PASSWORD).then().statusCode(200);
        Http.me(key).then().statusCode(401); // what was revoked stays revoked
        asOperator().post("/admin/accounts/" + UUID.randomUUID() + "/disable").then().statusCode(404);
    }

    @Test
    void anOperatorLiftsTheSignInThrottleOnOneAccount() {
        String email = Http.newEmail();
        Http.signUp(email);
        int attempts = 0;
        while (signIn(email, "guess " + attempts).statusCode() != 429 && attempts < 50) {
            attempts++;
        }
        assertTrue(attempts < 50, "throttled after a few failures");
        signIn(email, Http.PASSWORD).then().statusCode(429);

        asOperator().post("/admin/accounts/" + idOf(email) + "/unlock").then().statusCode(204);
        signIn(email, Http.PASSWORD).then().statusCode(200);
    }

    @Test
    void anOperatorListsAndRevokesAnAccountsKeys() {
        String email = Http.newEmail();
        String session = Http.signUp(email);
        String first = Http.mintRawKey(session, "profile:read");
        Map<String, Object> second = Http.mintKey(session, List.of("profile:read"));
        String third = Http.mintRawKey(session, "profile:read");
        String account = idOf(email);

        asOperator().get("/admin/accounts/" + account + "/api-keys").then().statusCode(200)
                .body("keys.size()", equalTo(3)).body("keys.rawKey", everyItem(nullValue()));
        asOperator().delete("/admin/accounts/" + account + "/api-keys/" + second.get("id")).then().statusCode(204);
        Http.me((String) second.get("rawKey")).then().statusCode(401);
        Http.me(first).then().statusCode(200);

        asOperator().delete("/admin/accounts/" + account + "/api-keys").then().statusCode(200).body("revoked", equalTo(2));
        Http.me(first).then().statusCode(401);
        Http.me(third).then().statusCode(401);
        asOperator().delete("/admin/accounts/" + account + "/api-keys/" + UUID.randomUUID()).then().statusCode(404);
        // Another account's key is not found under this one.
        String otherSession = Http.signUpSomeone();
        Map<String, Object> other = Http.mintKey(otherSession, List.of("profile:read"));
        asOperator().delete("/admin/accounts/" + account + "/api-keys/" + other.get("id")).then().statusCode(404);
        Http.me((String) other.get("rawKey")).then().statusCode(200);
    }
}
