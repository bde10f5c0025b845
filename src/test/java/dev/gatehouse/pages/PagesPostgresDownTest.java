package dev.gatehouse.pages;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.PostgresResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped under the people's pages (issue 12, with issue 9 §4's promise): a page that must read or
 * write the store answers at once with a page of its own, 503 and Retry-After, never a 500 and never internals;
 * what needs no store (the sign-in page, the reset form) still shows; and once PostgreSQL is back the same
 * session goes on where it was.
 */
@QuarkusTest
class PagesPostgresDownTest {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    /** What a browser asks for. */
    private static final String PAGE = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    private static io.restassured.specification.RequestSpecification given() {
        return io.restassured.RestAssured.given().accept(PAGE);
    }

    private static io.restassured.specification.RequestSpecification asPerson(String session) {
        return Http.asPerson(session).accept(PAGE);
    }

    private static Response fast(String what, Supplier<Response> call) {
        long started = System.nanoTime();
        Response answer = call.get();
        long took = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertTrue(took < 2000, what + " took " + took + " ms");
        return answer;
    }

    private static void unavailablePage(Response answer) {
        answer.then().statusCode(503).header("Retry-After", notNullValue()).contentType(startsWith("text/html"))
                .body(containsString("could not be done just now"))
                .body(containsString("<h1")).body(not(containsString("SQL"))).body(not(containsString("Exception")))
                .body(not(containsString("jdbc")));
    }

    @Test
    void pagesAnswer503WithRetryAfterWhilePostgresIsDownAndGoOnAfter() throws Exception {
        String email = Http.newEmail();
        String session = Http.signUp(email);
        String page = asPerson(session).get("/account/api-tokens").then().statusCode(200).extract().asString();
        Matcher csrf = CSRF.matcher(page);
        assertTrue(csrf.find());

        PostgresResource.stopNow();
        try {
            unavailablePage(fast("creating a key on the page", () -> asPerson(session).redirects().follow(false)
                    .contentType(ContentType.URLENC).formParam("csrf", csrf.group(1)).formParam("label", "during the outage")
                    .formParam("scope", "profile:read").formParam("expires_in", "30").formParam("environment", "live")
                    .post("/account/api-tokens")));
            for (String path : new String[] {"/account/api-tokens", "/account/security", "/account/apps", "/account/agents"}) {
                Response answer = fast(path, () -> asPerson(session).redirects().follow(false).get(path));
                // Either served from what is cached, or the outage page: never a 500, never a sign-in loop.
                assertTrue(answer.statusCode() == 200 || answer.statusCode() == 503, path + " answered " + answer.statusCode());
                if (answer.statusCode() == 503) {
                    unavailablePage(answer);
                }
            }
            unavailablePage(fast("asking for a password reset", () -> given().redirects().follow(false).contentType(ContentType.URLENC)
                    .formParam("email", email).post("/password-reset")));
            unavailablePage(fast("signing in on the page", () -> given().redirects().follow(false).contentType(ContentType.URLENC)
                    .formParam("email", email).formParam("password", Http.PASSWORD).post("/login")));
            fast("the sign-in page", () -> given().get("/login")).then().statusCode(200).body(containsString("Sign in"));
            fast("the reset form", () -> given().get("/password-reset")).then().statusCode(200);
            // An API client still gets the deployment's JSON shape.
            fast("the JSON API", () -> Http.createKey(session, java.util.Map.of("label", "api", "scopes", java.util.List.of("profile:read"))))
                    .then().statusCode(503).contentType(startsWith("application/")).body("status", equalTo(503));
        } finally {
            PostgresResource.startAgain();
        }

        long back = System.nanoTime();
        int status = 0;
        while (Duration.ofNanos(System.nanoTime() - back).compareTo(Duration.ofSeconds(5)) < 0 && status != 303) {
            status = asPerson(session).redirects().follow(false).contentType(ContentType.URLENC).formParam("csrf", csrf.group(1))
                    .formParam("label", "after the outage").formParam("scope", "profile:read").formParam("expires_in", "30")
                    .formParam("environment", "live").post("/account/api-tokens").statusCode();
            if (status != 303) {
                Thread.sleep(100);
            }
        }
        assertTrue(status == 303, "the page mints again within 5 s of PostgreSQL returning, last answer " + status);
        asPerson(session).get("/account/api-tokens").then().statusCode(200).body(containsString("after the outage"))
                .body(not(containsString("during the outage")));
    }
}
