package dev.gatehouse.pages;

import static dev.gatehouse.testing.Http.asPerson;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Issue 12 §2 and §3: /account/security, its password change, its sessions and its events. */
@QuarkusTest
class SecurityPageTest {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern END = Pattern.compile("action=\"/account/security/sessions/([0-9a-f-]{36})/end\"");
    private static final String NEW_PASSWORD = "another long passphrase";

    @Test
    void changingThePasswordNeedsTheCurrentOneAndEndsEveryOtherSession() {
        String email = Http.newEmail();
        String here = Http.signUp(email);
        String elsewhere = signIn(email, Http.PASSWORD);
        String page = asPerson(here).get("/account/security").then().statusCode(200).extract().asString();

        change(here, csrf(page), "not my password", NEW_PASSWORD).then().statusCode(400)
                .body(containsString("not your current password"));
        change(here, csrf(page), Http.PASSWORD, "short").then().statusCode(400).body(containsString("at least 10"));
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", Http.PASSWORD)).post("/login").then().statusCode(200);
        asPerson(elsewhere).redirects().follow(false).get("/account/security").then().statusCode(200);

        change(here, csrf(page), Http.PASSWORD, NEW_PASSWORD).then().statusCode(200).body(containsString("Your password was changed"));
        asPerson(here).redirects().follow(false).get("/account/security").then().statusCode(200);
        asPerson(elsewhere).redirects().follow(false).get("/account/security").then().statusCode(303);
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", Http.PASSWORD)).post("/login").then().statusCode(401);
        signIn(email, NEW_PASSWORD);
        asPerson(here).get("/account/security").then().body(containsString("The password was changed"));
    }

    @Test
    void aSessionCanBeEndedFromAnother() {
        String email = Http.newEmail();
        String here = Http.signUp(email);
        String elsewhere = signIn(email, Http.PASSWORD);
        String page = asPerson(here).get("/account/security").then().statusCode(200)
                .body(containsString("this browser")).body(containsString("Signed in")).extract().asString();
        java.util.List<String> others = new java.util.ArrayList<>();
        String current = null;
        for (String item : page.split("<li>")) {
            Matcher end = END.matcher(item);
            if (end.find()) {
                if (item.contains("this browser")) {
                    current = end.group(1);
                } else {
                    others.add(end.group(1));
                }
            }
        }
        assertTrue(current != null && others.size() == 1, "both sessions listed, this one marked: " + current + " " + others);
        asPerson(here).redirects().follow(false).contentType(ContentType.URLENC).formParam("csrf", csrf(page))
                .post("/account/security/sessions/" + others.getFirst() + "/end").then().statusCode(303)
                .header("Location", containsString("/account/security"));
        asPerson(elsewhere).redirects().follow(false).get("/account/security").then().statusCode(303);
        asPerson(here).get("/account/security").then().statusCode(200).body(containsString("A session was ended"));
    }

    @Test
    void formsWithoutTheCsrfTokenChangeNothing() {
        String email = Http.newEmail();
        String here = Http.signUp(email);
        asPerson(here).contentType(ContentType.URLENC).formParam("current_password", Http.PASSWORD).formParam("new_password", NEW_PASSWORD)
                .post("/account/security/password").then().statusCode(403).body(not(containsString("Your password was changed")));
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", Http.PASSWORD)).post("/login").then().statusCode(200);
    }

    @Test
    void withoutASessionThePageSendsYouToSignIn() {
        given().redirects().follow(false).get("/account/security").then().statusCode(303)
                .header("Location", containsString("/login?return_to=/account/security"));
    }

    private static io.restassured.response.Response change(String session, String csrf, String current, String next) {
        return asPerson(session).contentType(ContentType.URLENC).formParam("csrf", csrf).formParam("current_password", current)
                .formParam("new_password", next).post("/account/security/password");
    }

    private static String signIn(String email, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("email", email, "password", password)).post("/login")
                .then().statusCode(200).extract().cookie("gatehouse_session");
    }

    private static String csrf(String page) {
        Matcher matcher = CSRF.matcher(page);
        assertTrue(matcher.find(), "the page carries a CSRF token");
        return matcher.group(1);
    }
}
