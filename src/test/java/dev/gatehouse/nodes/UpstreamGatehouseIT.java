package dev.gatehouse.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.OAuthFlow;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 §1: one Gatehouse signing people in to another, each with its own PostgreSQL: the first is an
 * OpenID provider like any other to the second (discovery, its JWKS, its ID tokens, RFC 9207's iss). It says
 * email_verified: false (it does not vouch for addresses), so it can sign nobody in fresh, but a person signed
 * in at the second links it from their security page, and uses it from then on.
 */
class UpstreamGatehouseIT {
    private static final String SECRET = "rp-secret-" + java.util.UUID.randomUUID();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void anotherGatehouseIsAnUpstreamProvider() throws Exception {
        // The provider: Gatehouse "idp", with the relying party registered as a confidential client (loopback
        // redirect, any port: RFC 8252 §7.3). Set as system properties, which take quoted map keys as they are.
        try (Cluster idpCluster = Cluster.builder().node("idp", Map.of("RP_SECRET", SECRET, "JAVA_TOOL_OPTIONS",
                "-Dgatehouse.clients.rp.secret-env=RP_SECRET -Dgatehouse.clients.rp.redirect-uris=http://127.0.0.1/login/upstream/gh/callback"
                        + " -Dgatehouse.clients.rp.scopes=openid,email,profile")).start()) {
            Node idp = idpCluster.node("idp");
            // The secret by reference: ${RP_SECRET} is read from the environment, never on a command line or in a log.
            try (Cluster rpCluster = Cluster.builder().node("rp", Map.of("RP_SECRET", SECRET, "JAVA_TOOL_OPTIONS",
                    "-Dgatehouse.upstream.gh.issuer=" + idp.base() + " -Dgatehouse.upstream.gh.client-id=rp"
                            + " -Dgatehouse.upstream.gh.client-secret=${RP_SECRET} -Dgatehouse.upstream.gh.display-name=Gatehouse-IdP")).start()) {
                Node rp = rpCluster.node("rp");
                String atIdp = idp.signUp();
                String atRp = rp.signUp();

                // Linked from the relying party's security page, by the person signed in at both.
                String security = get(rp.base().resolve("/account/security"), atRp).body();
                String csrf = security.replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
                HttpResponse<String> begun = http.send(HttpRequest.newBuilder(rp.base().resolve("/login/upstream/gh/link")).header("Cookie", atRp)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("csrf=" + enc(csrf) + "&current_password=" + enc(Node.PASSWORD))).build(),
                        HttpResponse.BodyHandlers.ofString());
                HttpResponse<String> linked = throughProvider(rp, begun, atRp, idp, atIdp);
                assertEquals(303, linked.statusCode(), linked.body());
                assertTrue(linked.headers().firstValue("Location").orElseThrow().endsWith("/account/security"));
                security = get(rp.base().resolve("/account/security"), atRp).body();
                assertTrue(security.contains("<strong>gh</strong>"), security);

                // A fresh sign-in, by someone else at the provider: it does not vouch for their address, so
                // nobody is signed in and no account is made.
                String stranger = idp.signUp();
                HttpResponse<String> fresh = throughProvider(rp, get(rp.base().resolve("/login/upstream/gh"), null), null, idp, stranger);
                assertEquals(403, fresh.statusCode(), fresh.body());
                assertTrue(fresh.body().contains("did not confirm your email address"));
                assertTrue(fresh.headers().allValues("set-cookie").stream().noneMatch(c -> c.startsWith("gatehouse_session=")));

                // The linked person, signing in through the provider: the same account at the relying party.
                HttpResponse<String> again = throughProvider(rp, get(rp.base().resolve("/login/upstream/gh"), null), null, idp, atIdp);
                assertEquals(303, again.statusCode(), again.body());
                String session = again.headers().allValues("set-cookie").stream().filter(c -> c.startsWith("gatehouse_session="))
                        .map(c -> c.split(";", 2)[0]).findFirst().orElseThrow();
                assertTrue(get(rp.base().resolve("/account/security"), session).body().contains("<strong>gh</strong>"));
            }
        }
    }

    /**
     * From {@code rp}'s answer that sends the browser to the provider (with the rp session, if any), signs in and consents at {@code idp} with its session, and
     * returns the relying party's answer to the provider's redirect.
     */
    private HttpResponse<String> throughProvider(Node rp, HttpResponse<String> begun, String rpSession, Node idp, String idpSession)
            throws Exception {
        assertEquals(303, begun.statusCode(), begun.body());
        String state = begun.headers().allValues("set-cookie").stream().filter(c -> c.startsWith("gatehouse_upstream="))
                .map(c -> c.split(";", 2)[0]).findFirst().orElseThrow();
        URI authorize = URI.create(begun.headers().firstValue("Location").orElseThrow());
        assertTrue(authorize.toString().startsWith(idp.base().toString()), authorize.toString());

        HttpResponse<String> atIdp = get(authorize, idpSession);
        if (atIdp.statusCode() == 200) { // the consent page
            String form = OAuthFlow.consentFields(atIdp.body()).stream()
                    .map(field -> enc(field.getKey()) + "=" + enc(field.getValue())).collect(Collectors.joining("&")) + "&decision=allow";
            atIdp = http.send(HttpRequest.newBuilder(idp.base().resolve("/oauth2/authorize")).header("Cookie", idpSession)
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        assertEquals(303, atIdp.statusCode(), atIdp.body());
        URI callback = URI.create(atIdp.headers().firstValue("Location").orElseThrow());
        assertTrue(callback.toString().startsWith(rp.base() + "/login/upstream/gh/callback?"), callback.toString());
        assertTrue(callback.getQuery().contains("iss=" + idp.base()), "RFC 9207: the provider names itself");
        return get(callback, rpSession == null ? state : rpSession + "; " + state);
    }

    private HttpResponse<String> get(URI uri, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
