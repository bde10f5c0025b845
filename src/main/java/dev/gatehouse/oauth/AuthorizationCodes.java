package dev.gatehouse.oauth;

import dev.gatehouse.account.SignedIn;
import dev.gatehouse.admin.Operators;
import dev.gatehouse.token.NewToken;
import dev.gatehouse.token.SecretGenerator;
import dev.gatehouse.token.TokenKind;
import dev.gatehouse.token.TokenStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;

/**
 * Authorization codes: opaque, short-lived, single-use tokens of kind {@code authorization_code} in the
 * store, carrying what the token request must match (redirect URI, PKCE challenge, resources) and the
 * grant id that everything issued from them will share.
 */
@ApplicationScoped
public class AuthorizationCodes {
    public static final String REDIRECT_URI = "redirect_uri";
    /** "true" when the authorization request named its redirect URI, which the token request must then repeat. */
    public static final String REDIRECT_URI_GIVEN = "redirect_uri_given";
    public static final String CODE_CHALLENGE = "code_challenge";
    public static final String NONCE = "nonce";
    public static final String RESOURCE = "resource";
    public static final String AUTH_TIME = "auth_time";
    public static final String REDEEMED = "redeemed";

    private final TokenStore store;
    private final SecretGenerator secrets;
    private final Grants grants;
    private final OAuthConfig config;

    private final Operators operators;

    AuthorizationCodes(TokenStore store, SecretGenerator secrets, Grants grants, OAuthConfig config, Operators operators) {
        this.operators = operators;
        this.store = store;
        this.secrets = secrets;
        this.grants = grants;
        this.config = config;
    }

    /** The code for what the person allowed; {@code gatehouse:admin} only if they operate this deployment. */
    public String issue(AuthorizationRequest request, SignedIn person) {
        String code = secrets.opaque();
        Map<String, String> metadata = new HashMap<>();
        metadata.put(TokenIssuer.GRANT, grants.open(request.client().clientId(), person.accountId()));
        metadata.put(REDIRECT_URI, request.redirectUri());
        metadata.put(REDIRECT_URI_GIVEN, Boolean.toString(request.redirectUriGiven()));
        metadata.put(CODE_CHALLENGE, request.codeChallenge());
        metadata.put(RESOURCE, String.join(" ", request.resources()));
        metadata.put(AUTH_TIME, Long.toString(person.session().createdAt().getEpochSecond()));
        if (request.nonce() != null) {
            metadata.put(NONCE, request.nonce());
        }
        store.issue(code, NewToken.of(TokenKind.AUTHORIZATION_CODE, person.accountId())
                .withClient(request.client().clientId())
                .withScopes(operators.grantable(request.scopes(), person.accountId()))
                .expiringAt(store.now().plus(config.authorizationCodeLifetime()))
                .withMetadata(metadata));
        return code;
    }
}
