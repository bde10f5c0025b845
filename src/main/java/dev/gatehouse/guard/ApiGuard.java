package dev.gatehouse.guard;

import com.nimbusds.jose.JOSEObjectType;
import dev.gatehouse.keys.JwtVerifier;
import dev.gatehouse.oauth.Resources;
import dev.gatehouse.pat.ApiKeyFormat;
import dev.gatehouse.token.TokenHash;
import dev.gatehouse.token.TokenKind;
import dev.gatehouse.token.TokenRecord;
import dev.gatehouse.token.TokenStore;
import dev.gatehouse.web.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Authenticates an API call and checks its scope, in named steps: the credential is read from an
 * accepted header (never the query); an API key must pass its checksum and a JWT its signature before
 * anything is looked up; the token must be live in the store (which is how a revoked grant's JWTs die at
 * once here); and it must carry the scope. Each refusal is seed 002's JSON with RFC 6750's challenge.
 */
@ApplicationScoped
public class ApiGuard {
    static final String INVALID_MESSAGE = "Missing or invalid API key";
    /** Token kinds that authenticate API calls. Sessions stay in the dashboard. */
    private static final Set<TokenKind> API_CREDENTIALS = Set.of(TokenKind.API_KEY, TokenKind.AGENT, TokenKind.ACCESS);
    private static final JOSEObjectType ACCESS_TOKEN = new JOSEObjectType("at+jwt");
    private static final Pattern JWT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    private final CredentialReader reader;
    private final ApiKeyFormat format;
    private final TokenStore store;
    private final JwtVerifier jwts;
    private final Resources resources;
    private final BearerChallenge challenge;

    ApiGuard(CredentialReader reader, ApiKeyFormat format, TokenStore store, JwtVerifier jwts, Resources resources,
            BearerChallenge challenge) {
        this.reader = reader;
        this.format = format;
        this.store = store;
        this.jwts = jwts;
        this.resources = resources;
        this.challenge = challenge;
    }

    /** The caller, if the request carries a live credential holding {@code scope}; otherwise throws. */
    public Caller require(HttpHeaders headers, UriInfo uri, String scope) {
        String presented = checkPresented(reader.read(headers, uri.getQueryParameters()));
        TokenRecord token = checkLive(presented);
        checkScope(token, scope);
        store.recordUse(token);
        return new Caller(token);
    }

    /** The live token behind a credential already read from the request, or empty. */
    Optional<TokenRecord> live(String presented) {
        if (format.check(presented).isPresent()) {
            return store.findActive(presented).filter(token -> API_CREDENTIALS.contains(token.kind()));
        }
        if (JWT.matcher(presented).matches()) {
            return liveAccessToken(presented);
        }
        return Optional.empty();
    }

    /**
     * A JWT this node has cached is known to be ours (its hash matched a stored token). One it has not
     * seen must carry a valid signature before PostgreSQL is asked about it.
     */
    private Optional<TokenRecord> liveAccessToken(String jwt) {
        TokenHash hash = TokenHash.of(jwt);
        Optional<TokenRecord> cached = store.peek(hash);
        if (cached.isEmpty() && jwts.verify(jwt, ACCESS_TOKEN, resources.issuer(), resources.defaultResource()).isEmpty()) {
            return Optional.empty();
        }
        return (cached.isPresent() ? cached : store.find(hash))
                .filter(token -> token.kind() == TokenKind.ACCESS && token.isActiveAt(store.now()));
    }

    private String checkPresented(PresentedCredential credential) {
        return switch (credential) {
            case PresentedCredential.Token token -> token.value();
            case PresentedCredential.None none -> throw unauthorized(challenge.missing());
            case PresentedCredential.InQuery inQuery -> throw ApiProblem.badRequest(
                    "API keys must be sent in the " + reader.acceptedHeaders() + " header, never in the URL query")
                    .header("WWW-Authenticate", challenge.invalidRequest("credentials in the URL query are refused"));
            case PresentedCredential.Conflicting conflicting -> throw ApiProblem.badRequest(
                    "Send one API key in one header, not different keys in several")
                    .header("WWW-Authenticate", challenge.invalidRequest("more than one credential"));
        };
    }

    private TokenRecord checkLive(String presented) {
        return live(presented).orElseThrow(() -> unauthorized(challenge.invalidToken()));
    }

    private void checkScope(TokenRecord token, String scope) {
        if (!token.hasScope(scope)) {
            throw ApiProblem.forbidden("This credential lacks the scope " + scope + " that this endpoint requires")
                    .header("WWW-Authenticate", challenge.insufficientScope(scope));
        }
    }

    private static ApiProblem unauthorized(String header) {
        return new ApiProblem(401, INVALID_MESSAGE).header("WWW-Authenticate", header);
    }
}
