package dev.gatehouse.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 §1: Keycloak, from Maven Central, as the upstream provider of a Gatehouse node (the prod jar, its own
 * PostgreSQL, SMTP): discovery, Keycloak's login form, its code with PKCE S256 (the client requires it), its
 * RS256 ID tokens checked against its JWKS, and RFC 9207's iss on the way back. The account rules with a real
 * provider's claims: a verified new address makes the account; a verified address an account has links only
 * once its owner confirms (here by the emailed link); an address Keycloak has not verified signs nobody in.
 */
class KeycloakUpstreamIT {
    private static final String SECRET = "kc-secret-" + UUID.randomUUID();
    private static final String PROVIDER = "kc";

    @Test
    void keycloakIsAnUpstreamProvider() throws Exception {
        int keycloakPort = Cluster.freePort();
        String issuer = "http://127.0.0.1:" + keycloakPort + "/realms/" + Keycloak.REALM;
        Keycloak.User newcomer = new Keycloak.User("alice", "alice-" + UUID.randomUUID(), "alice-" + UUID.randomUUID() + "@example.test", true);
        Keycloak.User member = new Keycloak.User("bob", "bob-" + UUID.randomUUID(), "bob-" + UUID.randomUUID() + "@example.test", true);
        Keycloak.User unverified = new Keycloak.User("carol", "carol-" + UUID.randomUUID(), "carol-" + UUID.randomUUID() + "@example.test", false);
        // The client secret by reference: ${KC_SECRET} is read from the node's environment, never its command line.
        try (Cluster cluster = Cluster.builder().mail().node("rp", Map.of("KC_SECRET", SECRET, "JAVA_TOOL_OPTIONS",
                "-Dgatehouse.upstream.kc.issuer=" + issuer + " -Dgatehouse.upstream.kc.client-id=gatehouse"
                        + " -Dgatehouse.upstream.kc.client-secret=${KC_SECRET} -Dgatehouse.upstream.kc.display-name=Keycloak")).start();
                Keycloak keycloak = Keycloak.start(keycloakPort, "gatehouse", SECRET,
                        cluster.node("rp").base().resolve("/login/upstream/" + PROVIDER + "/callback"), List.of(newcomer, member, unverified))) {
            Node rp = cluster.node("rp");
            assertEquals(issuer, keycloak.issuer());

            // A first sign-in with an address Keycloak verified: the account, signed in, the provider listed.
            Browser alice = new Browser();
            HttpResponse<String> signedIn = alice.signInThroughKeycloak(rp, newcomer);
            assertEquals(303, signedIn.statusCode(), signedIn.body());
            assertTrue(signedIn.headers().firstValue("Location").orElseThrow().endsWith("/account/api-tokens"));
            assertNotNull(alice.cookie(rp.base(), Node.SESSION_COOKIE));
            assertTrue(alice.get(rp.base().resolve("/account/security")).body().contains("<strong>" + PROVIDER + "</strong> as " + newcomer.email()));
            // Again, in another browser: the same account, not a second one.
            Browser again = new Browser();
            assertEquals(303, again.signInThroughKeycloak(rp, newcomer).statusCode());
            assertNotNull(again.cookie(rp.base(), Node.SESSION_COOKIE));
            assertEquals(1, count(cluster, "select count(*) from account where email = ?", newcomer.email()));

            // An address Keycloak has not verified: nobody signed in, nothing made.
            Browser carol = new Browser();
            HttpResponse<String> refused = carol.signInThroughKeycloak(rp, unverified);
            assertEquals(403, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("did not confirm your email address"), refused.body());
            assertNull(carol.cookie(rp.base(), Node.SESSION_COOKIE));
            assertEquals(0, count(cluster, "select count(*) from account where email = ?", unverified.email()));

            // An address an account has: linked only once its owner confirms, here by the mailed link.
            rp.signUp(member.email());
            Browser bob = new Browser();
            HttpResponse<String> asked = bob.signInThroughKeycloak(rp, member);
            assertEquals(200, asked.statusCode(), asked.body());
            assertTrue(asked.body().contains("An account for <strong>" + member.email() + "</strong> exists already"), asked.body());
            assertNull(bob.cookie(rp.base(), Node.SESSION_COOKIE), "nothing signed in yet");
            assertEquals(200, bob.post(rp.base().resolve("/login/upstream/link/mail"), Map.of()).statusCode());
            String link = mailedLink(cluster, member.email());
            assertTrue(link.startsWith(rp.base() + "/login/upstream/link/confirm?token=ul_"), link);
            assertEquals(0, count(cluster, "select count(*) from upstream_identity where email = ?", member.email()));
            assertEquals(200, bob.get(URI.create(link)).statusCode());
            HttpResponse<String> confirmed = bob.post(rp.base().resolve("/login/upstream/link/confirm"),
                    Map.of("token", link.substring(link.indexOf("token=") + 6)));
            assertEquals(303, confirmed.statusCode(), confirmed.body());
            assertNotNull(bob.cookie(rp.base(), Node.SESSION_COOKIE));
            assertEquals(1, count(cluster, "select count(*) from upstream_identity where email = ?", member.email()));
            // From now on Keycloak signs Bob in to his account directly.
            Browser later = new Browser();
            assertEquals(303, later.signInThroughKeycloak(rp, member).statusCode());
            assertNotNull(later.cookie(rp.base(), Node.SESSION_COOKIE));
        }
    }

    private static String mailedLink(Cluster cluster, String email) {
        Pattern link = Pattern.compile("(http://\\S+/login/upstream/link/confirm\\?token=ul_[A-Za-z0-9_-]+)");
        for (int i = 0; i < 150; i++) {
            for (String body : cluster.mailBodiesTo(email)) {
                Matcher found = link.matcher(body.replace("=\r\n", "").replace("=3D", "="));
                if (found.find()) {
                    return found.group(1);
                }
            }
            Cluster.pause(100);
        }
        throw new AssertionError("no link mailed to " + email + "; mailed: " + cluster.mailed());
    }

    private static long count(Cluster cluster, String sql, String parameter) throws Exception {
        try (Connection connection = cluster.database(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /**
     * A browser, as far as these flows need one: cookies per origin (Keycloak's and Gatehouse's on two ports of
     * one host), redirects followed by hand so each can be looked at.
     */
    private static final class Browser {
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        private final Map<String, Map<String, String>> jar = new HashMap<>();

        HttpResponse<String> get(URI uri) throws Exception {
            return send(HttpRequest.newBuilder(uri).GET(), uri);
        }

        HttpResponse<String> post(URI uri, Map<String, String> form) throws Exception {
            String body = form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
            return send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)), uri);
        }

        String cookie(URI origin, String name) {
            return jar.getOrDefault(origin(origin), Map.of()).get(name);
        }

        private HttpResponse<String> send(HttpRequest.Builder request, URI uri) throws Exception {
            Map<String, String> cookies = jar.computeIfAbsent(origin(uri), key -> new HashMap<>());
            if (!cookies.isEmpty()) {
                request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
            }
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            for (String set : response.headers().allValues("set-cookie")) {
                String[] pair = set.split(";", 2)[0].split("=", 2);
                boolean expired = pair.length < 2 || pair[1].isEmpty() || set.toLowerCase(java.util.Locale.ROOT).contains("max-age=0");
                if (expired) {
                    cookies.remove(pair[0].trim());
                } else {
                    cookies.put(pair[0].trim(), pair[1]);
                }
            }
            return response;
        }

        /**
         * Begins at Gatehouse, signs in on Keycloak's login form as {@code user}, and returns Gatehouse's answer to
         * Keycloak's redirect back (checked on the way: PKCE S256 asked for, iss sent back).
         */
        HttpResponse<String> signInThroughKeycloak(Node rp, Keycloak.User user) throws Exception {
            HttpResponse<String> begun = get(rp.base().resolve("/login/upstream/" + PROVIDER));
            assertEquals(303, begun.statusCode(), begun.body());
            URI authorize = URI.create(begun.headers().firstValue("Location").orElseThrow());
            assertTrue(authorize.getRawQuery().contains("code_challenge_method=S256"), authorize.toString());
            HttpResponse<String> login = get(authorize);
            assertEquals(200, login.statusCode(), login.body());
            Matcher action = Pattern.compile("<form id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"").matcher(login.body());
            assertTrue(action.find(), "Keycloak's login form");
            HttpResponse<String> back = post(URI.create(action.group(1).replace("&amp;", "&")),
                    Map.of("username", user.username(), "password", user.password(), "credentialId", ""));
            assertEquals(302, back.statusCode(), back.body());
            URI callback = URI.create(back.headers().firstValue("Location").orElseThrow());
            assertTrue(callback.toString().startsWith(rp.base() + "/login/upstream/" + PROVIDER + "/callback?"), callback.toString());
            assertTrue(callback.getRawQuery().contains("iss=" + enc(issuerOf(authorize))), "RFC 9207: Keycloak names itself");
            assertFalse(callback.getRawQuery().contains("error="), callback.toString());
            return get(callback);
        }

        private static String issuerOf(URI authorize) {
            String url = authorize.toString();
            return url.substring(0, url.indexOf("/protocol/openid-connect/"));
        }

        private static String origin(URI uri) {
            return uri.getHost() + ":" + uri.getPort();
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
