package dev.gatehouse.guard;

import dev.gatehouse.pat.ApiKeyFormat;
import dev.gatehouse.token.TokenKind;
import dev.gatehouse.token.TokenRecord;
import dev.gatehouse.token.TokenStore;
import dev.gatehouse.web.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;
import java.util.Set;

/**
 * Authenticates an API call and checks its scope, in named steps: the key is read from an accepted header
 * (never the query), its format and checksum are checked without touching storage, it is looked up
 * through the per-node cache, and it must be live and carry the scope. Each refusal is seed 002's JSON
 * with RFC 6750's challenge.
 */
@ApplicationScoped
public class ApiGuard {
    static final String INVALID_MESSAGE = "Missing or invalid API key";
    /** Token kinds that authenticate API calls. Sessions stay in the dashboard. */
    private static final Set<TokenKind> API_CREDENTIALS = Set.of(TokenKind.API_KEY, TokenKind.AGENT);

    private final CredentialReader reader;
    private final ApiKeyFormat format;
    private final TokenStore store;

    ApiGuard(CredentialReader reader, ApiKeyFormat format, TokenStore store) {
        this.reader = reader;
        this.format = format;
        this.store = store;
    }

    /** The caller, if the request carries a live credential holding {@code scope}; otherwise throws. */
    public Caller require(HttpHeaders headers, UriInfo uri, String scope) {
        String presented = checkPresented(reader.read(headers, uri.getQueryParameters()));
        checkFormat(presented);
        TokenRecord token = checkLive(presented);
        checkScope(token, scope);
        store.recordUse(token);
        return new Caller(token);
    }

    private String checkPresented(PresentedCredential credential) {
        return switch (credential) {
            case PresentedCredential.Token token -> token.value();
            case PresentedCredential.None none -> throw unauthorized(BearerChallenge.missing());
            case PresentedCredential.InQuery inQuery -> throw ApiProblem.badRequest(
                    "API keys must be sent in the " + reader.acceptedHeaders() + " header, never in the URL query")
                    .header("WWW-Authenticate", BearerChallenge.invalidRequest("credentials in the URL query are refused"));
            case PresentedCredential.Conflicting conflicting -> throw ApiProblem.badRequest(
                    "Send one API key in one header, not different keys in several")
                    .header("WWW-Authenticate", BearerChallenge.invalidRequest("more than one credential"));
        };
    }

    private void checkFormat(String presented) {
        if (format.check(presented).isEmpty()) {
            throw unauthorized(BearerChallenge.invalidToken());
        }
    }

    private TokenRecord checkLive(String presented) {
        return store.findActive(presented)
                .filter(token -> API_CREDENTIALS.contains(token.kind()))
                .orElseThrow(() -> unauthorized(BearerChallenge.invalidToken()));
    }

    private static void checkScope(TokenRecord token, String scope) {
        if (!token.hasScope(scope)) {
            throw ApiProblem.forbidden("This API key lacks the scope " + scope + " that this endpoint requires")
                    .header("WWW-Authenticate", BearerChallenge.insufficientScope(scope));
        }
    }

    private static ApiProblem unauthorized(String challenge) {
        return new ApiProblem(401, INVALID_MESSAGE).header("WWW-Authenticate", challenge);
    }
}
