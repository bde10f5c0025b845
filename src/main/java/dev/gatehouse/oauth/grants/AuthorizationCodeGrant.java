package dev.gatehouse.oauth.grants;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.client.Client;
import dev.gatehouse.oauth.Authorizations;
import dev.gatehouse.oauth.IssuedTokens;
import dev.gatehouse.oauth.OAuthError;
import dev.gatehouse.oauth.Pkce;
import dev.gatehouse.oauth.Resources;
import dev.gatehouse.oauth.TokenIssuer;
import dev.gatehouse.token.Authorization;
import dev.gatehouse.token.TokenHash;
import dev.gatehouse.token.TokenKind;
import dev.gatehouse.token.TokenRecord;
import dev.gatehouse.token.TokenStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * {@code authorization_code} (RFC 6749 §4.1.3): the code is single use, bound to its client and redirect
 * URI, and to the PKCE challenge of its request. A second redemption fails and revokes the authorization,
 * and with it everything the first one issued (§4.1.2; RFC 9700 §4.2).
 *
 * <p>What the exchange writes: the code used up, and the refresh token if the client takes one, in one
 * transaction under the live authorization. The access token is a JWT that nothing records.
 */
@ApplicationScoped
public class AuthorizationCodeGrant implements Grant {
    private static final Logger LOG = Logger.getLogger(AuthorizationCodeGrant.class);

    private final TokenStore store;
    private final TokenIssuer issuer;
    private final Resources resources;
    private final Authorizations authorizations;

    AuthorizationCodeGrant(TokenStore store, TokenIssuer issuer, Resources resources, Authorizations authorizations) {
        this.store = store;
        this.issuer = issuer;
        this.resources = resources;
        this.authorizations = authorizations;
    }

    @Override
    public String grantType() {
        return "authorization_code";
    }

    @Override
    public IssuedTokens exchange(Client client, MultivaluedMap<String, String> form) {
        TokenRecord code = checkCode(form.getFirst("code"));
        checkClient(code, client);
        checkNotRedeemed(code);
        // Redeeming and issuing are one step under the live authorization: a concurrent revocation cannot miss them.
        IssuedTokens tokens = authorizations.underLive(code.authorizationId(), authorization -> {
            checkRedirectUri(authorization.code(), form.getFirst("redirect_uri"));
            Pkce.checkVerifier(authorization.code().codeChallenge(), form.getFirst("code_verifier"));
            List<String> audience = checkResource(authorization, form.get("resource"));
            return store.consume(code)
                    ? issuer.issue(TokenIssuer.Grant.of(client, authorization, code.scopes(), audience, authorization.code().nonce()),
                            client.allowsGrant("refresh_token"))
                    : null;
        });
        if (tokens == null) {
            // Another request redeemed it between our check and now: a replay, treated like one.
            replayed(code);
        }
        return tokens;
    }

    private TokenRecord checkCode(String code) {
        if (code == null || code.isBlank()) {
            throw OAuthError.invalidRequest("code is required");
        }
        return store.find(TokenHash.of(code))
                .filter(token -> token.kind() == TokenKind.AUTHORIZATION_CODE && token.authorizationId() != null)
                .orElseThrow(() -> OAuthError.invalidGrant("Unknown authorization code"));
    }

    private static void checkClient(TokenRecord code, Client client) {
        if (!client.clientId().equals(code.clientId())) {
            throw OAuthError.invalidGrant("This code was issued to another client");
        }
    }

    private void checkNotRedeemed(TokenRecord code) {
        if (code.isUsed()) {
            replayed(code);
        }
        if (!code.isActiveAt(store.now())) {
            throw OAuthError.invalidGrant("The authorization code expired");
        }
    }

    private void replayed(TokenRecord code) {
        int revoked = authorizations.revoke(code.authorizationId(), code.accountId(), AuditEvent.Actor.client(code.clientId()));
        LOG.warnf("Authorization code %s redeemed twice: its authorization revoked, with %d stored tokens", code.id(), revoked);
        throw OAuthError.invalidGrant("The authorization code was already used");
    }

    /**
     * RFC 6749 §4.1.3: required, and identical, when the authorization request carried one; when it did
     * not, the token request may leave it out too, but may not name another.
     */
    private static void checkRedirectUri(Authorization.CodeBinding code, String redirectUri) {
        if (redirectUri == null && !code.redirectUriGiven()) {
            return;
        }
        if (!code.redirectUri().equals(redirectUri)) {
            throw OAuthError.invalidGrant("redirect_uri does not match the authorization request");
        }
    }

    /** RFC 8707 §2.2: the token request may narrow the resources, never widen them. Stored ones are canonical. */
    private List<String> checkResource(Authorization authorization, List<String> requested) {
        List<String> granted = authorization.audience();
        if (requested == null || requested.isEmpty()) {
            return granted;
        }
        for (String resource : requested) {
            if (!resources.known(resource) || !granted.contains(resources.defaultResource())) {
                throw OAuthError.invalidTarget("resource " + resource + " was not part of the authorization");
            }
        }
        return List.of(resources.defaultResource());
    }
}
