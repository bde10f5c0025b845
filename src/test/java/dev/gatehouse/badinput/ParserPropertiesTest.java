package dev.gatehouse.badinput;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.client.Client;
import dev.gatehouse.client.ClientMetadata;
import dev.gatehouse.client.RedirectUris;
import dev.gatehouse.oauth.OAuthError;
import dev.gatehouse.pat.ApiKeyFormat;
import dev.gatehouse.pat.KeyAlphabet;
import dev.gatehouse.token.Environment;
import dev.gatehouse.token.IpAllowlist;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Property-based bad input over the parsers every request meets (issue 9 §6). Each property holds for
 * thousands of generated inputs per run: a parser either accepts or refuses in its documented way, and
 * never fails otherwise. {@code tries} add up to more than 10,000 cases per CI run; the HTTP half is
 * {@code BadInputOverHttpTest}.
 */
class ParserPropertiesTest {
    private static final ApiKeyFormat FORMAT = new ApiKeyFormat("gth_live_", "gth_test_", KeyAlphabet.BASE62, 32);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ClientMetadata.Rules RULES = new ClientMetadata.Rules(
            Set.of(Client.NONE, Client.SECRET_BASIC, Client.SECRET_POST),
            Set.of(ClientMetadata.AUTHORIZATION_CODE, ClientMetadata.REFRESH_TOKEN, ClientMetadata.CLIENT_CREDENTIALS, ClientMetadata.JWT_BEARER),
            List.of("openid", "offline_access", "profile:read"), true, Duration.ofMinutes(5), Duration.ofDays(30), false, 10);

    /** Anything a caller might put where a key goes: random text, near-keys, control characters, huge strings. */
    @Provide
    Arbitrary<String> presented() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(200),
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(80),
                Arbitraries.strings().alpha().numeric().ofLength(FORMAT.length() - 9).map(tail -> "gth_live_" + tail),
                Arbitraries.strings().ofMinLength(1000).ofMaxLength(5000));
    }

    @Property(tries = 3000)
    void aKeyCheckNeverFailsAndAcceptsOnlyWhatItMinted(@ForAll("presented") String presented) {
        // Random text passes the checksum with probability about 62^-6: none of these should.
        assertTrue(FORMAT.check(presented).isEmpty(), "accepted a key nobody minted: " + presented);
    }

    @Property(tries = 2000)
    void changingOneCharacterOfAMintedKeyFailsTheChecksum(@ForAll @IntRange(min = 9, max = 49) int position, @ForAll char replacement) {
        String key = FORMAT.mint(Environment.LIVE).plaintext();
        int at = Math.min(position, key.length() - 1);
        if (key.charAt(at) == replacement) {
            return;
        }
        String altered = key.substring(0, at) + replacement + key.substring(at + 1);
        assertTrue(FORMAT.check(altered).isEmpty(), "an altered key passed: " + altered);
        assertTrue(FORMAT.check(key).isPresent());
    }

    @Provide
    Arbitrary<String> uris() {
        Arbitrary<String> scheme = Arbitraries.of("https", "http", "javascript", "data", "file", "custom.app", "", "HTTPS");
        Arbitrary<String> host = Arbitraries.of("example.com", "127.0.0.1", "localhost", "[::1]", "evil.example@good.example",
                "xn--80ak6aa92e.com", "", "0x7f.1", "a".repeat(300));
        Arbitrary<String> rest = Arbitraries.strings().withChars("/?#%&=:@.[]\\ \t\r\n\u0000abc<>\"'").ofMaxLength(40);
        return Arbitraries.oneOf(Combinators.combine(scheme, host, rest).as((s, h, r) -> s + "://" + h + r),
                Arbitraries.strings().ofMaxLength(300));
    }

    @Property(tries = 2000)
    void aRedirectUriIsJudgedNeverThrown(@ForAll("uris") String uri) {
        RedirectUris.problem(uri, false); // an answer either way; an exception fails the property
        RedirectUris.problem(uri, true);
    }

    @Provide
    Arbitrary<List<String>> allowlists() {
        Arbitrary<String> entry = Arbitraries.oneOf(
                Combinators.combine(Arbitraries.integers().between(-5, 300), Arbitraries.integers().between(-5, 300),
                        Arbitraries.integers().between(-1, 40)).as((a, b, p) -> a + "." + b + ".0.1/" + p),
                Arbitraries.strings().withChars("0123456789abcdef:./ ").ofMaxLength(60),
                Arbitraries.strings().ofMaxLength(80));
        return entry.list().ofMaxSize(70);
    }

    @Property(tries = 2000)
    void anIpAllowlistIsParsedOrRefusedByName(@ForAll("allowlists") List<String> entries) {
        try {
            IpAllowlist.parse(entries);
        } catch (IpAllowlist.InvalidRange refused) {
            assertTrue(refused.getMessage() != null && !refused.getMessage().isBlank());
        }
    }

    @Provide
    Arbitrary<ObjectNode> metadata() {
        Arbitrary<Object> value = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(30), Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.of(true, false), Arbitraries.just(null),
                Arbitraries.of("none", "client_secret_basic", "private_key_jwt", "authorization_code", "client_credentials",
                        "https://app.example/cb", "http://127.0.0.1/cb", "openid profile:read", "RS256", "none", "password"),
                Arbitraries.of("authorization_code", "refresh_token", "client_credentials", "implicit", "https://x/cb").list()
                        .ofMaxSize(4).map(list -> (Object) list));
        Arbitrary<String> field = Arbitraries.of("client_name", "redirect_uris", "grant_types", "token_endpoint_auth_method", "scope",
                "response_types", "skip_consent", "access_token_lifetime", "refresh_token_lifetime", "id_token_signed_response_alg",
                "logo_uri", "jwks", "unknown");
        return Combinators.combine(field, value).as((f, v) -> new Object[] {f, v}).list().ofMaxSize(8).map(pairs -> {
            ObjectNode node = JSON.createObjectNode();
            pairs.forEach(pair -> node.set((String) pair[0], JSON.valueToTree(pair[1])));
            return node;
        });
    }

    @Property(tries = 2500)
    void clientMetadataIsReadOrRefusedInRfc7591sWords(@ForAll("metadata") ObjectNode body) {
        try {
            ClientMetadata read = ClientMetadata.read(body, RULES);
            assertTrue(!read.grantTypes().isEmpty() && RULES.authMethods().contains(read.authMethod()));
            if (read.grantTypes().contains(ClientMetadata.AUTHORIZATION_CODE)) {
                assertTrue(!read.redirectUris().isEmpty(), "a code flow client has somewhere to return to");
            }
        } catch (OAuthError refused) {
            assertTrue(Set.of("invalid_client_metadata", "invalid_redirect_uri").contains(refused.code()), refused.code());
        }
    }
}
