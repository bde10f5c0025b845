package dev.gatehouse.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.account.Accounts;
import dev.gatehouse.testing.Database;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.LocalOidcProvider;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 §1: sign-in through an upstream OpenID provider, against a real one on loopback (node-oidc-provider,
 * {@link LocalOidcProvider}), through the real HTTP interface: a browser's cookies and redirects, followed by hand.
 */
@QuarkusTest
@TestProfile(LocalOidcProvider.Profile.class)
class UpstreamSignInTest {
    private static final String GATEHOUSE = LocalOidcProvider.GATEHOUSE;

    @Inject
    Accounts accounts;

    @Inject
    AgroalDataSource database;

    /** A browser: its own cookies, redirects followed one by one so each can be looked at. */
    static final class Browser {
        final CookieManager cookies = new CookieManager();
        final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();

        HttpResponse<String> get(String url) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String url, Map<String, String> form) throws Exception {
            String body = form.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }

        String cookie(String name) {
            return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name) && !c.hasExpired())
                    .map(HttpCookie::getValue).filter(v -> !v.isEmpty()).findFirst().orElse(null);
        }

        void signedInAs(String session) {
            HttpCookie cookie = new HttpCookie(Http.SESSION_COOKIE, session);
            cookie.setPath("/");
            cookie.setVersion(0);
            cookies.getCookieStore().add(URI.create(GATEHOUSE), cookie);
        }

        /** Follows redirects from {@code response} until one leads back to Gatehouse's callback, and returns that URL. */
        String toCallback(HttpResponse<String> response) throws Exception {
            HttpResponse<String> current = response;
            for (int i = 0; i < 10; i++) {
                String location = current.headers().firstValue("Location").orElseThrow(() -> new AssertionError("no redirect"));
                String next = current.uri().resolve(location).toString();
                if (next.startsWith(GATEHOUSE + "/login/upstream/")) {
                    return next;
                }
                current = get(next);
                if (current.statusCode() == 200) {
                    return null; // a page, not the way back
                }
            }
            throw new AssertionError("too many redirects");
        }
    }

    /** Starts at Gatehouse, signs in at the provider as {@code email}, and returns the callback URL it sends back. */
    private static String signInAtProvider(Browser browser, String start, String email, boolean verified) throws Exception {
        return signInAtProvider(browser, browser.get(GATEHOUSE + start), email, verified);
    }

    /** The same, from Gatehouse's answer that sends the browser to the provider. */
    private static String signInAtProvider(Browser browser, HttpResponse<String> begun, String email, boolean verified) throws Exception {
        assertEquals(303, begun.statusCode(), begun.body());
        String provider = begun.headers().firstValue("Location").orElseThrow();
        assertTrue(provider.startsWith(LocalOidcProvider.issuer()), provider);
        Map<String, String> query = query(provider);
        assertEquals("code", query.get("response_type"));
        assertEquals("S256", query.get("code_challenge_method"));
        assertNotNull(query.get("state"));
        assertNotNull(query.get("nonce"));
        assertNotNull(browser.cookie("gatehouse_upstream"), "the sealed state rides in a cookie");
        assertFalse(browser.cookie("gatehouse_upstream").contains(query.get("state")), "sealed: the state is not readable in it");

        HttpResponse<String> atProvider = browser.get(provider);
        String interaction = atProvider.uri().resolve(atProvider.headers().firstValue("Location").orElseThrow()).toString();
        String callback;
        if (interaction.contains("/interaction/")) {
            HttpResponse<String> form = browser.get(interaction);
            assertEquals(200, form.statusCode(), form.body());
            Map<String, String> fields = verified ? Map.of("email", email, "verified", "yes") : Map.of("email", email);
            callback = browser.toCallback(browser.post(interaction + "/login", fields));
        } else {
            callback = browser.toCallback(atProvider); // signed in at the provider already: straight back
        }
        assertNotNull(callback, "the provider sent the browser back");
        assertEquals(LocalOidcProvider.issuer(), query(callback).get("iss"), "the provider sends iss (RFC 9207)");
        return callback;
    }

    @Test
    void aFirstSignInMakesTheAccountAndTheNextSignsItIn() throws Exception {
        String email = Http.newEmail();
        Browser first = new Browser();
        HttpResponse<String> done = first.get(signInAtProvider(first, "/login/upstream/local", email, true));
        assertEquals(303, done.statusCode(), done.body());
        assertTrue(done.headers().firstValue("Location").orElseThrow().endsWith("/account/api-tokens"));
        assertNotNull(first.cookie(Http.SESSION_COOKIE), "signed in");
        assertNull(first.cookie("gatehouse_upstream"), "the state is spent");
        var account = accounts.findByEmail(email).orElseThrow();
        assertEquals(1, links(account.id()));

        Browser again = new Browser();
        HttpResponse<String> second = again.get(signInAtProvider(again, "/login/upstream/local", email, true));
        assertEquals(303, second.statusCode());
        String page = Http.asPerson(again.cookie(Http.SESSION_COOKIE)).get("/account/security").then().statusCode(200).extract().asString();
        assertTrue(page.contains("<strong>local</strong> as " + email), "the same account, its linked provider listed");
        assertEquals(1, Database.count(database, "select count(*) from account where email = ?", email));
    }

    /**
     * A sign-in that interrupted something (an authorization request, here) goes back to it: the sign-in page's
     * buttons carry return_to, and only a local path is followed.
     */
    @Test
    void theSignInGoesBackWhereItBegan() throws Exception {
        String waiting = "/oauth2/authorize?client_id=demo-app&state=a%26b";
        String login = new Browser().get(GATEHOUSE + "/login?return_to=" + enc(waiting)).body();
        assertTrue(login.contains("href=\"/login/upstream/local?return_to=" + enc(waiting).replace("&", "&amp;") + "\""), login);
        Browser browser = new Browser();
        HttpResponse<String> done = browser.get(signInAtProvider(browser, "/login/upstream/local?return_to=" + enc(waiting),
                Http.newEmail(), true));
        assertEquals(303, done.statusCode());
        assertTrue(done.headers().firstValue("Location").orElseThrow().endsWith(waiting), done.headers().firstValue("Location").orElseThrow());

        Browser elsewhere = new Browser();
        HttpResponse<String> offsite = elsewhere.get(signInAtProvider(elsewhere, "/login/upstream/local?return_to=" + enc("https://evil.example/"),
                Http.newEmail(), true));
        assertTrue(offsite.headers().firstValue("Location").orElseThrow().endsWith("/account/api-tokens"), "never off-site");
    }

    /** A verified email that an account has is linked only after that account's password: never silently. */
    @Test
    void anExistingAccountIsLinkedOnlyWithItsPassword() throws Exception {
        String email = Http.newEmail();
        var account = accounts.signUp(email, Http.PASSWORD);
        Browser browser = new Browser();
        HttpResponse<String> asked = browser.get(signInAtProvider(browser, "/login/upstream/local", email, true));
        assertEquals(200, asked.statusCode());
        assertTrue(asked.body().contains("An account for <strong>" + email + "</strong> exists already"), asked.body());
        assertNull(browser.cookie(Http.SESSION_COOKIE), "nobody is signed in yet");
        assertEquals(0, links(account.id()), "nothing linked yet");

        HttpResponse<String> wrong = browser.post(GATEHOUSE + "/login/upstream/link", Map.of("password", "not the password"));
        assertEquals(401, wrong.statusCode());
        assertEquals(0, links(account.id()));
        assertNull(browser.cookie(Http.SESSION_COOKIE));

        HttpResponse<String> right = browser.post(GATEHOUSE + "/login/upstream/link", Map.of("password", Http.PASSWORD));
        assertEquals(303, right.statusCode(), right.body());
        assertNotNull(browser.cookie(Http.SESSION_COOKIE));
        assertEquals(1, links(account.id()));
    }

    /**
     * Instead of the password, a link mailed to the account's address confirms the link, opened in the browser that
     * signed in at the provider: the account's owner clicking a mail that a stranger's sign-in asked for links
     * nothing. Fetching the link (a mail scanner) links nothing; it works once; a newer mail kills the older link.
     */
    @Test
    void anExistingAccountIsLinkedByAMailedLinkOpenedInTheSameBrowser() throws Exception {
        String email = Http.newEmail();
        var account = accounts.signUp(email, Http.PASSWORD);
        Browser browser = new Browser();
        HttpResponse<String> asked = browser.get(signInAtProvider(browser, "/login/upstream/local", email, true));
        assertTrue(asked.body().contains("action=\"/login/upstream/link/mail\""), asked.body());

        assertEquals(200, browser.post(GATEHOUSE + "/login/upstream/link/mail", Map.of()).statusCode());
        String first = mailedSecret(email, "ul_", 1);
        HttpResponse<String> sent = browser.post(GATEHOUSE + "/login/upstream/link/mail", Map.of());
        assertEquals(200, sent.statusCode(), sent.body());
        assertTrue(sent.body().contains("We sent a link to <strong>" + email + "</strong>"), sent.body());
        String secret = mailedSecret(email, "ul_", 2);
        assertFalse(secret.equals(first));
        assertEquals(0, links(account.id()), "nothing linked by mailing");
        assertNull(browser.cookie(Http.SESSION_COOKIE));
        assertEquals(1, Database.count(database, "select count(*) from token where kind = 'upstream_link' and secret_hash = decode(?, 'hex')"
                + " and account_id = ?", Database.hashHex(secret), account.id()), "in the one store, as its hash, for that account");
        assertEquals(410, browser.get(GATEHOUSE + "/login/upstream/link/confirm?token=" + first).statusCode(), "only the newest works");

        // Elsewhere, without the browser's pending link: nothing.
        Browser elsewhere = new Browser();
        HttpResponse<String> notHere = elsewhere.get(GATEHOUSE + "/login/upstream/link/confirm?token=" + secret);
        assertEquals(400, notHere.statusCode());
        assertTrue(notHere.body().contains("Open this link in the browser where you signed in"), notHere.body());
        assertEquals(400, elsewhere.post(GATEHOUSE + "/login/upstream/link/confirm", Map.of("token", secret)).statusCode());
        assertEquals(0, links(account.id()));

        // The same pending link in a second tab: only one of them uses the mail.
        Browser twin = new Browser();
        browser.cookies.getCookieStore().getCookies().forEach(c -> twin.cookies.getCookieStore().add(URI.create(GATEHOUSE), c));
        HttpResponse<String> page = browser.get(GATEHOUSE + "/login/upstream/link/confirm?token=" + secret);
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("Link and sign in"));
        assertEquals(0, links(account.id()), "opening the link links nothing: a form does");

        HttpResponse<String> done = browser.post(GATEHOUSE + "/login/upstream/link/confirm", Map.of("token", secret));
        assertEquals(303, done.statusCode(), done.body());
        assertNotNull(browser.cookie(Http.SESSION_COOKIE));
        assertEquals(1, links(account.id()));
        assertEquals(410, twin.post(GATEHOUSE + "/login/upstream/link/confirm", Map.of("token", secret)).statusCode(), "once");

        // From now on the provider signs the account in.
        Browser later = new Browser();
        HttpResponse<String> again = later.get(signInAtProvider(later, "/login/upstream/local", email, true));
        assertEquals(303, again.statusCode(), again.body());
        assertNotNull(later.cookie(Http.SESSION_COOKIE));
    }

    /**
     * Review finding: a second pending link (another browser, the same identity) mailing for itself does not kill
     * the first one's mail; a password reset kills both, since either may be the taker's.
     */
    @Test
    void eachPendingLinkHasItsOwnMailAndAResetEndsThemAll() throws Exception {
        String email = Http.newEmail();
        var account = accounts.signUp(email, Http.PASSWORD);
        Browser owner = new Browser();
        owner.get(signInAtProvider(owner, "/login/upstream/local", email, true));
        assertEquals(200, owner.post(GATEHOUSE + "/login/upstream/link/mail", Map.of()).statusCode());
        String ownersLink = mailedSecret(email, "ul_", 1);
        Browser other = new Browser();
        other.get(signInAtProvider(other, "/login/upstream/local", email, true));
        assertEquals(200, other.post(GATEHOUSE + "/login/upstream/link/mail", Map.of()).statusCode());
        String othersLink = mailedSecret(email, "ul_", 2);
        assertEquals(200, owner.get(GATEHOUSE + "/login/upstream/link/confirm?token=" + ownersLink).statusCode(), "still works");
        assertEquals(410, owner.get(GATEHOUSE + "/login/upstream/link/confirm?token=" + othersLink).statusCode(), "not this browser's");
        assertNotNull(owner.cookie("gatehouse_upstream_link"), "a stale mail leaves the pending link be");

        io.restassured.RestAssured.given().contentType("application/x-www-form-urlencoded").formParam("email", email).post("/password-reset")
                .then().statusCode(200);
        io.restassured.RestAssured.given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("token", mailedSecret(email, "pr_", 1)).formParam("password", "another new password").post("/password-reset/confirm")
                .then().statusCode(303);
        assertEquals(410, owner.post(GATEHOUSE + "/login/upstream/link/confirm", Map.of("token", ownersLink)).statusCode());
        assertEquals(410, other.post(GATEHOUSE + "/login/upstream/link/confirm", Map.of("token", othersLink)).statusCode());
        assertEquals(0, links(account.id()), "a reset ends every pending link");
    }

    /** An email the provider does not vouch for (no email_verified claim) never links nor creates an account. */
    @Test
    void anUnverifiedEmailSignsNobodyIn() throws Exception {
        String taken = Http.newEmail();
        var account = accounts.signUp(taken, Http.PASSWORD);
        Browser browser = new Browser();
        HttpResponse<String> refused = browser.get(signInAtProvider(browser, "/login/upstream/local", taken, false));
        assertEquals(403, refused.statusCode());
        assertTrue(refused.body().contains("did not confirm your email address"), refused.body());
        assertNull(browser.cookie(Http.SESSION_COOKIE));
        assertEquals(0, links(account.id()), "no silent link to the account that has the address");

        String nobody = Http.newEmail();
        Browser other = new Browser();
        assertEquals(403, other.get(signInAtProvider(other, "/login/upstream/local", nobody, false)).statusCode());
        assertTrue(accounts.findByEmail(nobody).isEmpty(), "no account made on an unverified address");
    }

    /** check_state and check_iss: an answer this browser did not ask for, or from elsewhere, is refused. */
    @Test
    void anAnswerNotAskedForOrFromAnotherIssuerIsRefused() throws Exception {
        Browser browser = new Browser();
        String callback = signInAtProvider(browser, "/login/upstream/local", Http.newEmail(), true);
        Map<String, String> query = query(callback);
        String code = "code=" + enc(query.get("code"));

        assertEquals(400, browser.get(GATEHOUSE + "/login/upstream/local/callback?" + code + "&iss=" + enc(query.get("iss"))
                + "&state=forged").statusCode());
        assertEquals(400, new Browser().get(callback).statusCode(), "without the browser's state cookie");
        assertEquals(400, browser.get(GATEHOUSE + "/login/upstream/local/callback?" + code + "&state=" + enc(query.get("state"))
                + "&iss=" + enc("https://evil.example")).statusCode(), "another issuer");
        assertEquals(400, browser.get(GATEHOUSE + "/login/upstream/local/callback?" + code + "&state=" + enc(query.get("state")))
                .statusCode(), "a provider that sends iss must send it");
        assertNull(browser.cookie(Http.SESSION_COOKIE));
    }

    /**
     * A signed-in person links a provider from the security page: a form with the CSRF token and their current
     * password (a borrowed session alone adds no way in), mailed to them; unlinks it there; and a password reset
     * (the account may have been someone else's) unlinks every provider.
     */
    @Test
    void aSignedInPersonLinksWithTheirPasswordUnlinksAndAResetUnlinksAll() throws Exception {
        String email = Http.newEmail();
        var account = accounts.signUp(email, Http.PASSWORD);
        String session = io.restassured.RestAssured.given().contentType("application/json")
                .body(Map.of("email", email, "password", Http.PASSWORD)).post("/login").then().statusCode(200).extract()
                .cookie(Http.SESSION_COOKIE);
        Browser browser = new Browser();
        browser.signedInAs(session);
        String csrf = csrf(Http.asPerson(session).get("/account/security").then().statusCode(200).extract().asString());

        assertEquals(403, browser.post(GATEHOUSE + "/login/upstream/local/link", Map.of("current_password", Http.PASSWORD)).statusCode());
        assertEquals(400, browser.post(GATEHOUSE + "/login/upstream/local/link", Map.of("csrf", csrf, "current_password", "wrong"))
                .statusCode());
        assertEquals(405, browser.get(GATEHOUSE + "/login/upstream/local/link").statusCode(), "never from a GET another site can make");

        // Linking needs no verified email: the person proved who they are with their password.
        HttpResponse<String> begun = browser.post(GATEHOUSE + "/login/upstream/local/link", Map.of("csrf", csrf, "current_password", Http.PASSWORD));
        HttpResponse<String> linked = browser.get(signInAtProvider(browser, begun, "other-" + email, false));
        assertEquals(303, linked.statusCode(), linked.body());
        assertTrue(linked.headers().firstValue("Location").orElseThrow().endsWith("/account/security"));
        assertEquals(1, links(account.id()));
        assertTrue(dev.gatehouse.testing.MailServer.messagesTo(email).stream().anyMatch(m -> subject(m).equals("A sign-in was linked to your account")),
                "the owner is told");

        String page = Http.asPerson(session).get("/account/security").then().statusCode(200).extract().asString();
        Matcher unlink = Pattern.compile("action=\"(/account/security/upstream/[0-9a-f-]+/unlink)\"").matcher(page);
        assertTrue(unlink.find(), page);
        Http.asPerson(session).redirects().follow(false).contentType("application/x-www-form-urlencoded").formParam("csrf", csrf(page))
                .post(unlink.group(1)).then().statusCode(303);
        assertEquals(0, links(account.id()));

        // Linked again, then the password reset by mail: the link goes with the old password.
        begun = browser.post(GATEHOUSE + "/login/upstream/local/link", Map.of("csrf", csrf, "current_password", Http.PASSWORD));
        assertEquals(303, browser.get(signInAtProvider(browser, begun, "other-" + email, false)).statusCode());
        assertEquals(1, links(account.id()));
        io.restassured.RestAssured.given().contentType("application/x-www-form-urlencoded").formParam("email", email).post("/password-reset")
                .then().statusCode(200);
        String token = mailedSecret(email, "pr_", 1);
        io.restassured.RestAssured.given().redirects().follow(false).contentType("application/x-www-form-urlencoded").formParam("token", token)
                .formParam("password", "a new password after all").post("/password-reset/confirm").then().statusCode(303);
        assertEquals(0, links(account.id()), "a reset unlinks every provider");
    }

    private static String csrf(String page) {
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
        assertTrue(csrf.find());
        return csrf.group(1);
    }

    private static String subject(jakarta.mail.internet.MimeMessage message) {
        try {
            return message.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            return "";
        }
    }

    /** The secret starting {@code prefix} in the {@code nth} mail to {@code email} that has one, once the outbox sent it. */
    private static String mailedSecret(String email, String prefix, int nth) throws InterruptedException {
        Pattern secret = Pattern.compile("token=(" + Pattern.quote(prefix) + "[A-Za-z0-9_-]+)");
        for (int i = 0; i < 100; i++) {
            java.util.List<String> found = dev.gatehouse.testing.MailServer.messagesTo(email).stream().map(UpstreamSignInTest::body)
                    .map(secret::matcher).filter(Matcher::find).map(m -> m.group(1)).toList();
            if (found.size() >= nth) {
                return found.get(nth - 1);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no mail with a " + prefix + " link to " + email);
    }

    private static String body(jakarta.mail.internet.MimeMessage message) {
        try {
            return String.valueOf(message.getContent());
        } catch (Exception e) {
            return "";
        }
    }

    /** A provider out of reach: its sign-in is a 503 with Retry-After and a page; the sign-in page still works. */
    @Test
    void anUnreachableProviderIsA503() throws Exception {
        HttpResponse<String> down = new Browser().get(GATEHOUSE + "/login/upstream/unreachable");
        assertEquals(503, down.statusCode());
        assertEquals("30", down.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(down.body().contains("cannot be reached"));
        assertFalse(down.body().contains("127.0.0.1:9"), "no internals");
        assertEquals(404, new Browser().get(GATEHOUSE + "/login/upstream/nosuch").statusCode());
        String login = new Browser().get(GATEHOUSE + "/login").body();
        assertTrue(login.contains("href=\"/login/upstream/local?return_to=") && login.contains("Sign in with Local OIDC"), login);
    }

    @Inject
    dev.gatehouse.testing.MovableClock clock;

    /**
     * A provider's answer past what Gatehouse reads (its 2 MB discovery document) is the provider unavailable: 503
     * with Retry-After, nothing more read. The failure is remembered for the Retry-After: sign-ins meanwhile are
     * refused without asking the provider again; after it, the provider is asked again.
     */
    @Test
    void anOversizedAnswerIsAnOutageRememberedForItsRetryAfter() throws Exception {
        long before = oversizedFetches();
        HttpResponse<String> first = new Browser().get(GATEHOUSE + "/login/upstream/oversized");
        assertEquals(503, first.statusCode(), first.body());
        assertEquals("30", first.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(before + 1, oversizedFetches());
        HttpResponse<String> again = new Browser().get(GATEHOUSE + "/login/upstream/oversized");
        assertEquals(503, again.statusCode());
        assertEquals(before + 1, oversizedFetches(), "remembered: the provider is not asked again at once");
        clock.advance(java.time.Duration.ofSeconds(31));
        try {
            assertEquals(503, new Browser().get(GATEHOUSE + "/login/upstream/oversized").statusCode());
            assertEquals(before + 2, oversizedFetches(), "asked again once the Retry-After has passed");
        } finally {
            clock.reset();
        }
    }

    private static long oversizedFetches() throws Exception {
        String body = new Browser().get(LocalOidcProvider.gitHubStandIn() + "/oversized/fetches").body();
        return Long.parseLong(body.replaceAll("\\D", ""));
    }

    /** GitHub (a stand-in for its documented endpoints): the user's numeric id, their primary email if GitHub verified it. */
    @Test
    void gitHubSignsInWithAVerifiedPrimaryEmailOnly() throws Exception {
        String email = Http.newEmail();
        Browser browser = new Browser();
        HttpResponse<String> done = browser.get(signInAtGitHub(browser, "octo-" + System.nanoTime(), email, true));
        assertEquals(303, done.statusCode(), done.body());
        assertNotNull(browser.cookie(Http.SESSION_COOKIE));
        var account = accounts.findByEmail(email).orElseThrow();
        assertEquals(1, Database.count(database, "select count(*) from upstream_identity where account_id = ? and provider = 'github'"
                + " and subject ~ '^[0-9]+$'", account.id()));

        String unverified = Http.newEmail();
        Browser other = new Browser();
        assertEquals(403, other.get(signInAtGitHub(other, "cat-" + System.nanoTime(), unverified, false)).statusCode());
        assertTrue(accounts.findByEmail(unverified).isEmpty());
    }

    private static String signInAtGitHub(Browser browser, String login, String email, boolean verified) throws Exception {
        HttpResponse<String> begun = browser.get(GATEHOUSE + "/login/upstream/github");
        assertEquals(303, begun.statusCode(), begun.body());
        String authorize = begun.headers().firstValue("Location").orElseThrow();
        Map<String, String> query = query(authorize);
        assertEquals("S256", query.get("code_challenge_method"));
        assertEquals(200, browser.get(authorize).statusCode());
        Map<String, String> form = new java.util.HashMap<>();
        for (String hidden : new String[] {"redirect_uri", "state", "code_challenge", "code_challenge_method"}) {
            form.put(hidden, query.get(hidden));
        }
        form.put("login", login);
        form.put("email", email);
        if (verified) {
            form.put("verified", "yes");
        }
        String callback = browser.toCallback(browser.post(authorize.substring(0, authorize.indexOf('?')), form));
        assertNotNull(callback);
        return callback;
    }

    private long links(java.util.UUID accountId) throws Exception {
        return Database.count(database, "select count(*) from upstream_identity where account_id = ?", accountId);
    }

    private static Map<String, String> query(String url) {
        String raw = URI.create(url).getRawQuery();
        return java.util.Arrays.stream(raw.split("&")).map(pair -> pair.split("=", 2)).collect(Collectors.toMap(
                pair -> pair[0], pair -> java.net.URLDecoder.decode(pair.length > 1 ? pair[1] : "", StandardCharsets.UTF_8), (a, b) -> a));
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
