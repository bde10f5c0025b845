package dev.gatehouse.oauth.grants;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.client.Client;
import dev.gatehouse.oauth.Authorizations;
import dev.gatehouse.oauth.IssuedTokens;
import dev.gatehouse.oauth.OAuthError;
import dev.gatehouse.oauth.TokenIssuer;
import dev.gatehouse.scope.ScopeCatalogue;
import dev.gatehouse.token.TokenHash;
import dev.gatehouse.token.TokenKind;
import dev.gatehouse.token.TokenRecord;
import dev.gatehouse.token.TokenStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * {@code refresh_token} (RFC 6749 §6) with rotation on every use (RFC 9700 §4.14): the presented token is
 * used up and a new one issued. Presenting a used-up token again means it leaked: the whole family of
 * that authorization (one per code exchange) is revoked, and only that family, so the person's other
 * sessions live on. A refresh token
 * expires after inactivity and never outlives its grant's absolute lifetime.
 */
@ApplicationScoped
public class RefreshTokenGrant implements Grant {
    private static final Logger LOG = Logger.getLogger(RefreshTokenGrant.class);

    private final TokenStore store;
    private final TokenIssuer issuer;
    private final Authorizations authorizations;

    private final AuditLog audit;

    RefreshTokenGrant(TokenStore store, TokenIssuer issuer, Authorizations authorizations, AuditLog audit) {
        this.audit = audit;
        this.store = store;
        this.issuer = issuer;
        this.authorizations = authorizations;
    }

    @Override
    public String grantType() {
        return "refresh_token";
    }

    @Override
    public IssuedTokens exchange(Client client, MultivaluedMap<String, String> form) {
        TokenRecord refresh = checkToken(form.getFirst("refresh_token"));
        checkClient(refresh, client);
        checkNotReused(refresh);
        checkLive(refresh);
        List<String> scopes = checkScope(refresh, form.getFirst("scope"));
        // Rotation is one step under the live authorization: a concurrent reuse or revocation cannot miss the new pair.
        IssuedTokens tokens = authorizations.underLive(refresh.authorizationId(), authorization -> store.consume(refresh)
                ? issuer.issue(TokenIssuer.Grant.of(client, authorization, scopes, authorization.audience(), null), refresh.scopes())
                : null);
        if (tokens == null) {
            reused(refresh);
        }
        return tokens;
    }

    private TokenRecord checkToken(String presented) {
        if (presented == null || presented.isBlank()) {
            throw OAuthError.invalidRequest("refresh_token is required");
        }
        return store.find(TokenHash.of(presented))
                .filter(token -> token.kind() == TokenKind.REFRESH && token.authorizationId() != null)
                .orElseThrow(() -> OAuthError.invalidGrant("Unknown refresh token"));
    }

    private static void checkClient(TokenRecord refresh, Client client) {
        if (!client.clientId().equals(refresh.clientId())) {
            throw OAuthError.invalidGrant("This refresh token was issued to another client");
        }
    }

    private void checkNotReused(TokenRecord refresh) {
        if (refresh.isUsed()) {
            reused(refresh);
        }
    }

    private void reused(TokenRecord refresh) {
        int revoked = authorizations.revoke(refresh.authorizationId(), refresh.accountId(), AuditEvent.Actor.client(refresh.clientId()));
        audit.record(AuditEvent.Type.REFRESH_TOKEN_REUSED, AuditEvent.Actor.client(refresh.clientId()), refresh.accountId(),
                refresh.authorizationId().toString(), Map.of("tokens_revoked", revoked));
        LOG.warnf("Refresh token %s reused: its family (%d live tokens) revoked", refresh.id(), revoked);
        throw OAuthError.invalidGrant("The refresh token was already used; its grant has been revoked");
    }

    private void checkLive(TokenRecord refresh) {
        if (!refresh.isActiveAt(store.now())) {
            throw OAuthError.invalidGrant("The refresh token expired or was revoked");
        }
    }

    /** RFC 6749 §6: a narrower scope may be asked for, never a wider one. */
    private static List<String> checkScope(TokenRecord refresh, String scope) {
        if (scope == null || scope.isBlank()) {
            return refresh.scopes();
        }
        List<String> requested = ScopeCatalogue.parse(scope);
        if (!refresh.scopes().containsAll(requested)) {
            throw OAuthError.invalidScope("A refresh can only narrow the granted scope");
        }
        return requested;
    }
}
