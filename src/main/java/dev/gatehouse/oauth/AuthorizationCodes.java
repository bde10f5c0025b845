package dev.gatehouse.oauth;

import dev.gatehouse.account.SignedIn;
import dev.gatehouse.admin.Operators;
import dev.gatehouse.token.Authorization;
import dev.gatehouse.token.NewToken;
import dev.gatehouse.token.SecretGenerator;
import dev.gatehouse.token.TokenKind;
import dev.gatehouse.token.TokenStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Authorization codes: opaque, short-lived, single-use tokens of kind {@code authorization_code} in the
 * store. Issuing one opens the authorization everything issued from it will belong to, which keeps what
 * the token request must match (redirect URI, PKCE challenge, resources) in typed columns.
 */
@ApplicationScoped
public class AuthorizationCodes {
    private final TokenStore store;
    private final SecretGenerator secrets;
    private final Authorizations authorizations;
    private final OAuthConfig config;
    private final TokenIssuer issuer;
    private final Operators operators;

    AuthorizationCodes(TokenStore store, SecretGenerator secrets, Authorizations authorizations, OAuthConfig config,
            TokenIssuer issuer, Operators operators) {
        this.store = store;
        this.secrets = secrets;
        this.authorizations = authorizations;
        this.config = config;
        this.issuer = issuer;
        this.operators = operators;
    }

    /** The code for what the person allowed; {@code gatehouse:admin} only if they operate this deployment. */
    public String issue(AuthorizationRequest request, SignedIn person) {
        String code = secrets.opaque();
        List<String> scopes = operators.grantable(request.scopes(), person.accountId());
        // The authorization and its code commit together: the code names it.
        QuarkusTransaction.joiningExisting().run(() -> issue(code, request, person, scopes));
        return code;
    }

    private void issue(String code, AuthorizationRequest request, SignedIn person, List<String> scopes) {
        Authorization authorization = authorizations.open(Authorization.open(request.client().clientId(), person.accountId(),
                Authorization.GrantType.AUTHORIZATION_CODE, scopes, request.resources(),
                new Authorization.CodeBinding(request.redirectUri(), request.redirectUriGiven(), request.codeChallenge(), request.nonce()),
                person.session().createdAt(), store.now(), issuer.authorizationExpiry(request.client())));
        store.issue(code, NewToken.of(TokenKind.AUTHORIZATION_CODE, person.accountId())
                .withClient(request.client().clientId())
                .withScopes(scopes)
                .expiringAt(store.now().plus(config.authorizationCodeLifetime()))
                .underAuthorization(authorization.id()));
    }
}
