package dev.gatehouse.oauth.grants;

import dev.gatehouse.client.Client;
import dev.gatehouse.oauth.AuthorizationCodes;
import dev.gatehouse.oauth.Grants;
import dev.gatehouse.oauth.IssuedTokens;
import dev.gatehouse.oauth.OAuthError;
import dev.gatehouse.oauth.Pkce;
import dev.gatehouse.oauth.Resources;
import dev.gatehouse.oauth.TokenIssuer;
import dev.gatehouse.token.TokenHash;
import dev.gatehouse.token.TokenKind;
import dev.gatehouse.token.TokenRecord;
import dev.gatehouse.token.TokenStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedMap;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * {@code authorization_code} (RFC 6749 §4.1.3): the code is single use, bound to its client and redirect
 * URI, and to the PKCE challenge of its request. A second redemption fails and revokes everything the
 * first one issued (§4.1.2; RFC 9700 §4.2).
 */
@ApplicationScoped
public class AuthorizationCodeGrant implements Grant {
    private static final Logger LOG = Logger.getLogger(AuthorizationCodeGrant.class);

    private final TokenStore store;
    private final TokenIssuer issuer;
    private final Resources resources;
    private final Grants grants;

    AuthorizationCodeGrant(TokenStore store, TokenIssuer issuer, Resources resources, Grants grants) {
        this.store = store;
        this.issuer = issuer;
        this.resources = resources;
        this.grants = grants;
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
        checkRedirectUri(code, form.getFirst("redirect_uri"));
        Pkce.checkVerifier(code.metadata().get(AuthorizationCodes.CODE_CHALLENGE), form.getFirst("code_verifier"));
        List<String> audience = checkResource(code, form.get("resource"));
        String authTime = code.metadata().get(AuthorizationCodes.AUTH_TIME);
        TokenIssuer.Grant grant = new TokenIssuer.Grant(client, code.accountId(), code.accountId().toString(), code.scopes(),
                audience, code.metadata().get(TokenIssuer.GRANT), issuer.grantExpiry(client),
                authTime == null ? null : Instant.ofEpochSecond(Long.parseLong(authTime)),
                code.metadata().get(AuthorizationCodes.NONCE));
        // Redeeming and issuing are one step under the live grant: a concurrent revocation cannot miss them.
        IssuedTokens tokens = grants.underLiveGrant(grant.grantId(), () ->
                store.consume(code, Map.of(AuthorizationCodes.REDEEMED, "true"))
                        ? issuer.issue(grant, client.allowsGrant("refresh_token"))
                        : null);
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
                .filter(token -> token.kind() == TokenKind.AUTHORIZATION_CODE)
                .orElseThrow(() -> OAuthError.invalidGrant("Unknown authorization code"));
    }

    private static void checkClient(TokenRecord code, Client client) {
        if (!client.clientId().equals(code.clientId())) {
            throw OAuthError.invalidGrant("This code was issued to another client");
        }
    }

    private void checkNotRedeemed(TokenRecord code) {
        if ("true".equals(code.metadata().get(AuthorizationCodes.REDEEMED))) {
            replayed(code);
        }
        if (!code.isActiveAt(store.now())) {
            throw OAuthError.invalidGrant("The authorization code expired");
        }
    }

    private void replayed(TokenRecord code) {
        int revoked = grants.revoke(code.metadata().get(TokenIssuer.GRANT));
        LOG.warnf("Authorization code %s redeemed twice: %d tokens of its grant revoked", code.id(), revoked);
        throw OAuthError.invalidGrant("The authorization code was already used");
    }

    /**
     * RFC 6749 §4.1.3: required, and identical, when the authorization request carried one; when it did
     * not, the token request may leave it out too, but may not name another.
     */
    private static void checkRedirectUri(TokenRecord code, String redirectUri) {
        boolean wasGiven = !"false".equals(code.metadata().get(AuthorizationCodes.REDIRECT_URI_GIVEN));
        if (redirectUri == null && !wasGiven) {
            return;
        }
        if (!code.metadata().get(AuthorizationCodes.REDIRECT_URI).equals(redirectUri)) {
            throw OAuthError.invalidGrant("redirect_uri does not match the authorization request");
        }
    }

    /** RFC 8707 §2.2: the token request may narrow the resources, never widen them. Stored ones are canonical. */
    private List<String> checkResource(TokenRecord code, List<String> requested) {
        List<String> granted = Arrays.asList(code.metadata().get(AuthorizationCodes.RESOURCE).split(" "));
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
