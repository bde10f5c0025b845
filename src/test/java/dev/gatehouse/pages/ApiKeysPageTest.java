package dev.gatehouse.pages;

import static dev.gatehouse.testing.Http.asPerson;
import static dev.gatehouse.testing.Http.me;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.MovableClock;
import io.restassured.response.Response;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The self-service key page (seed 000's /account/api-tokens), driven as a browser would. */
@QuarkusTest
class ApiKeysPageTest {
    @jakarta.inject.Inject
    MovableClock clock;

    @jakarta.inject.Inject
    dev.gatehouse.keys.PrivateKeyVault vault;

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern KEY = Pattern.compile("gth_live_[0-9A-Za-z]{38}");

    @Test
    void withoutASessionThePageSendsYouToSignIn() {
        given().redirects().follow(false).get("/account/api-tokens").then().statusCode(303)
                .header("Location", containsString("/login?return_to=/account/api-tokens"));
    }

    @Test
    void pagesCannotBeFramedAndLeakNoReferrer() {
        given().get("/login").then().statusCode(200)
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .body(containsString("<form method=\"post\" action=\"/login\""));
    }

    /** Post/redirect/get: the mint answers 303, the page it leads to shows the key once, and a reload mints nothing. */
    @Test
    void createRedirectsThenShowsTheKeyOnceThenOnlyItsPreview() {
        String session = Http.signUpSomeone();
        String page = asPerson(session).get("/account/api-tokens").then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body(containsString("value=\"profile:read\"")).extract().asString();

        Response minted = asPerson(session).redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("csrf", csrf(page)).formParam("label", "from the page")
                .formParam("scope", "profile:read").formParam("scope", "jobs:read")
                .formParam("expires_in", "custom").formParam("expires_on", "2099-12-31").formParam("environment", "live")
                .post("/account/api-tokens");
        minted.then().statusCode(303).header("Location", endsWith("/account/api-tokens"))
                .body(not(containsString("gth_live_")));
        String carried = minted.getCookie(ShownOnce.COOKIE);
        assertFalse(carried == null || carried.isBlank(), "the new key rides to the next page in a cookie");
        assertFalse(KEY.matcher(carried).find(), "sealed: the cookie does not hold the key in clear");
        assertTrue(minted.getDetailedCookie(ShownOnce.COOKIE).isHttpOnly());
        assertEquals("/account/api-tokens", minted.getDetailedCookie(ShownOnce.COOKIE).getPath());

        Response shown = asPerson(session).cookie(ShownOnce.COOKIE, carried).get("/account/api-tokens");
        shown.then().statusCode(200).body(containsString("shown this once"));
        assertEquals(0, shown.getDetailedCookie(ShownOnce.COOKIE).getMaxAge(), "the page that shows it clears the cookie");
        Matcher key = KEY.matcher(shown.asString());
        assertTrue(key.find(), "the new key is on the page");
        String rawKey = key.group();
        me(rawKey).then().statusCode(200).body("key.scopes.size()", equalTo(2))
                .body("key.expiresAt", equalTo("2100-01-01T00:00:00Z"));

        String later = asPerson(session).get("/account/api-tokens").then().statusCode(200).extract().asString();
        assertFalse(later.contains(rawKey), "never shown again");
        assertTrue(later.contains(rawKey.substring(0, 14) + "…" + rawKey.substring(rawKey.length() - 4)), "its preview is");
        assertTrue(later.contains("from the page"));
        assertEquals(1, Http.listKeys(session).size(), "one mint, however often the page is loaded");
    }

    /** The sealed cookie opens only for the session that minted, and only for two minutes. */
    @Test
    void theCarriedKeyOpensOnlyForItsSessionAndBriefly() {
        String session = Http.signUpSomeone();
        String carried = mintFromThePage(session, "30");
        String someoneElse = Http.signUpSomeone();
        asPerson(someoneElse).cookie(ShownOnce.COOKIE, carried).get("/account/api-tokens").then().statusCode(200)
                .body(not(containsString("gth_live_"))).body(not(containsString("shown this once")))
                .body(containsString("can no longer be shown"));
        asPerson(session).cookie(ShownOnce.COOKIE, carried + "x").get("/account/api-tokens").then().statusCode(200)
                .body(not(containsString("shown this once"))).body(containsString("can no longer be shown"));
        try {
            clock.advance(ShownOnce.LIFETIME.plusSeconds(1));
            asPerson(session).cookie(ShownOnce.COOKIE, carried).get("/account/api-tokens").then().statusCode(200)
                    .body(not(containsString("id=\"new-token\"")));
        } finally {
            clock.reset();
        }
        asPerson(session).cookie(ShownOnce.COOKIE, carried).get("/account/api-tokens").then().statusCode(200)
                .body(containsString("shown this once"));
    }

    /**
     * The cookie's seal is for this purpose only: the same key seals mails (with sign-in links) and signing keys,
     * and a seal of those, put in the cookie, opens nothing.
     */
    @Test
    void aSealMadeForAnotherPurposeOpensNothing() {
        String session = Http.signUpSomeone();
        String forged = vault.sealText("{\"account\":\"x\",\"session\":\"y\",\"until\":9999999999,\"id\":\""
                + java.util.UUID.randomUUID() + "\",\"label\":\"forged\",\"key\":\"gth_live_forged\"}");
        asPerson(session).cookie(ShownOnce.COOKIE, forged).get("/account/api-tokens").then().statusCode(200)
                .body(not(containsString("gth_live_forged"))).body(containsString("can no longer be shown"));
    }

    /** A form that lacks the allowlist field, or gives a date with another expiry, is refused and changes nothing. */
    @Test
    void ambiguousFormsAreRefused() {
        String session = Http.signUpSomeone();
        var key = Http.mintKey(session, java.util.List.of("profile:read"));
        String page = asPerson(session).get("/account/api-tokens").asString();
        asPerson(session).contentType(ContentType.URLENC).formParam("csrf", csrf(page))
                .post("/account/api-tokens/" + key.get("id") + "/ip-allowlist").then().statusCode(400);
        asPerson(session).contentType(ContentType.URLENC).formParam("csrf", csrf(page)).formParam("label", "which expiry")
                .formParam("scope", "profile:read").formParam("expires_in", "30").formParam("expires_on", "2030-01-01")
                .post("/account/api-tokens").then().statusCode(400).body(containsString("on a date"));
        assertEquals(1, Http.listKeys(session).size());
    }

    /** The presets are days from now, by the application's clock; "never" is no expiry; "custom" needs its date. */
    @Test
    void expiryPresets() {
        String session = Http.signUpSomeone();
        java.time.Instant before = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        mintFromThePage(session, "90");
        mintFromThePage(session, "never");
        var listed = Http.listKeys(session);
        var expiries = listed.stream().map(key -> (String) key.get("expiresAt")).toList();
        assertTrue(expiries.contains(null), "never: no expiry " + expiries);
        java.time.Instant in90 = java.time.Instant.parse(expiries.stream().filter(java.util.Objects::nonNull).findFirst().orElseThrow());
        assertTrue(!in90.isBefore(before.plus(java.time.Duration.ofDays(90))) && in90.isBefore(before.plus(java.time.Duration.ofDays(90)).plusSeconds(60)),
                "90 days from now: " + in90);

        String page = asPerson(session).get("/account/api-tokens").asString();
        for (String[] bad : new String[][] {{"custom", ""}, {"45", ""}, {"-1", ""}}) {
            asPerson(session).contentType(ContentType.URLENC).formParam("csrf", csrf(page)).formParam("label", "bad expiry")
                    .formParam("scope", "profile:read").formParam("expires_in", bad[0]).formParam("expires_on", bad[1])
                    .post("/account/api-tokens").then().statusCode(400).body(containsString("class=\"error\""));
        }
        assertEquals(2, Http.listKeys(session).size(), "bad expiries mint nothing");
    }

    /** The list: scopes grouped by resource, dates as <time> elements readable in UTC (never raw ISO), a chart per key. */
    @Test
    void theListShowsDatesReadablyAndAChartPerKey() {
        String session = Http.signUpSomeone();
        String rawKey = Http.mintRawKey(session, "profile:read");
        me(rawKey).then().statusCode(200);
        String page = asPerson(session).get("/account/api-tokens").then().statusCode(200).extract().asString();
        assertTrue(page.contains("<legend>profile</legend>") && page.contains("<legend>jobs</legend>"), "scopes grouped by resource");
        Matcher time = Pattern.compile("<time datetime=\"(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ)\">(\\d{1,2} \\w{3} \\d{4}, \\d\\d:\\d\\d UTC)</time>")
                .matcher(page);
        assertTrue(time.find(), "the creation date is a <time> element with readable text");
        assertFalse(page.replaceAll("datetime=\"[^\"]+\"", "").matches("(?s).*\\d{4}-\\d\\d-\\d\\dT\\d\\d:.*"),
                "no raw ISO date outside the datetime attributes");
        assertTrue(page.contains("<svg class=\"usage\" role=\"img\""), "the 30-day chart");
    }

    @Test
    void editTheLabel() {
        String session = Http.signUpSomeone();
        var key = Http.mintKey(session, java.util.List.of("profile:read"));
        String page = asPerson(session).get("/account/api-tokens").asString();
        asPerson(session).redirects().follow(false).contentType(ContentType.URLENC).formParam("csrf", csrf(page))
                .formParam("label", "renamed on the page").post("/account/api-tokens/" + key.get("id") + "/label")
                .then().statusCode(303);
        assertEquals("renamed on the page", Http.listKeys(session).getFirst().get("label"));
        asPerson(session).contentType(ContentType.URLENC).formParam("csrf", csrf(page)).formParam("label", " ")
                .post("/account/api-tokens/" + key.get("id") + "/label").then().statusCode(400);
        assertEquals("renamed on the page", Http.listKeys(session).getFirst().get("label"), "a blank label changes nothing");
    }

    /** A roll also answers with a redirect; the successor rides in the cookie, shown once. */
    @Test
    void rollRedirectsAndShowsTheSuccessorOnce() {
        String session = Http.signUpSomeone();
        var key = Http.mintKey(session, java.util.List.of("profile:read"));
        String page = asPerson(session).get("/account/api-tokens").asString();
        Response rolled = asPerson(session).redirects().follow(false).contentType(ContentType.URLENC).formParam("csrf", csrf(page))
                .formParam("grace_hours", "1").post("/account/api-tokens/" + key.get("id") + "/roll");
        rolled.then().statusCode(303);
        String shown = asPerson(session).cookie(ShownOnce.COOKIE, rolled.getCookie(ShownOnce.COOKIE)).get("/account/api-tokens").asString();
        Matcher successor = KEY.matcher(shown);
        assertTrue(successor.find());
        me(successor.group()).then().statusCode(200);
        me((String) key.get("rawKey")).then().statusCode(200);
        assertEquals(2, Http.listKeys(session).size());
    }

    private String mintFromThePage(String session, String expiresIn) {
        String page = asPerson(session).get("/account/api-tokens").asString();
        return asPerson(session).redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("csrf", csrf(page)).formParam("label", "preset " + expiresIn).formParam("scope", "profile:read")
                .formParam("expires_in", expiresIn).post("/account/api-tokens")
                .then().statusCode(303).extract().cookie(ShownOnce.COOKIE);
    }

    @Test
    void formsWithoutTheCsrfTokenChangeNothing() {
        String session = Http.signUpSomeone();
        asPerson(session).contentType(ContentType.URLENC)
                .formParam("label", "forged").formParam("scope", "profile:read")
                .post("/account/api-tokens").then().statusCode(403).body(not(containsString("shown this once")));
        asPerson(session).contentType(ContentType.URLENC).formParam("csrf", "guess")
                .formParam("label", "forged").formParam("scope", "profile:read")
                .post("/account/api-tokens").then().statusCode(403);
        assertEquals(0, Http.listKeys(session).size());
    }

    @Test
    void aFormWithoutScopesExplainsWhatIsMissing() {
        String session = Http.signUpSomeone();
        String page = asPerson(session).get("/account/api-tokens").asString();
        asPerson(session).contentType(ContentType.URLENC).formParam("csrf", csrf(page)).formParam("label", "no scopes")
                .post("/account/api-tokens").then().statusCode(400).body(containsString("at least one scope"));
        assertEquals(0, Http.listKeys(session).size());
    }

    @Test
    void revokeFromThePage() {
        String session = Http.signUpSomeone();
        var key = Http.mintKey(session, java.util.List.of("profile:read"));
        String page = asPerson(session).get("/account/api-tokens").asString();
        assertTrue(page.contains("href=\"/account/api-tokens/" + key.get("id") + "/revoke\""), "the list links to a confirmation");
        String confirm = asPerson(session).get("/account/api-tokens/" + key.get("id") + "/revoke").then().statusCode(200)
                .body(containsString("cannot be brought back")).extract().asString();
        me((String) key.get("rawKey")).then().statusCode(200);
        asPerson(session).redirects().follow(false).contentType(ContentType.URLENC).formParam("csrf", csrf(confirm))
                .post("/account/api-tokens/" + key.get("id") + "/revoke")
                .then().statusCode(303).header("Location", containsString("/account/api-tokens"));
        me((String) key.get("rawKey")).then().statusCode(401);
        asPerson(session).get("/account/api-tokens").then().body(containsString("revoked"));
    }

    /** A date no calendar holds is bad input, shown on the page, not a 500. */
    @Test
    void anImpossibleExpiryDateIsRefusedOnThePage() {
        String session = Http.signUpSomeone();
        String page = asPerson(session).get("/account/api-tokens").asString();
        for (String date : java.util.List.of("+999999999-12-31", "9999-12-31", "2026-02-30")) {
            asPerson(session).contentType(ContentType.URLENC).formParam("csrf", csrf(page)).formParam("label", "far")
                    .formParam("scope", "profile:read").formParam("expires_on", date)
                    .post("/account/api-tokens").then().statusCode(400).body(containsString("class=\"error\""));
        }
        assertEquals(0, Http.listKeys(session).size());
    }

    private static String csrf(String page) {
        Matcher matcher = CSRF.matcher(page);
        assertTrue(matcher.find(), "the page carries a CSRF token");
        return matcher.group(1);
    }
}
