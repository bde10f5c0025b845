package dev.gatehouse.oauth.grants;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.client.Client;
import dev.gatehouse.oauth.Grants;
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
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * {@code refresh_token} (RFC 6749 §6) with rotation on every use (RFC 9700 §4.14): the presented token is
 * used up and a new one issued. Presenting a used-up token again means it leaked: the whole family of
 * that grant is revoked, and only that family, so the person's other sessions live on. A refresh token
 * expires after inactivity and never outlives its grant's absolute lifetime.
 */
@ApplicationScoped
public class RefreshTokenGrant implements Grant {
    private static final Logger LOG = Logger.getLogger(RefreshTokenGrant.class);
    static final String ROTATED = "rotated";

    private final TokenStore store;
    private final TokenIssuer issuer;
    private final Grants grants;

    private final AuditLog audit;

    RefreshTokenGrant(TokenStore store, TokenIssuer issuer, Grants grants, AuditLog audit) {
        this.audit = audit;
        this.store = store;
        this.issuer = issuer;
        this.grants = grants;
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
        Instant grantExpires = Instant.parse(refresh.metadata().get("grant_expires"));
        String authTime = refresh.metadata().get("auth_time");
        TokenIssuer.Grant grant = new TokenIssuer.Grant(client, refresh.accountId(),
                refresh.accountId() == null ? client.clientId() : refresh.accountId().toString(), scopes,
                Arrays.asList(refresh.metadata().get("aud").split(" ")), refresh.metadata().get(TokenIssuer.GRANT),
                grantExpires, authTime == null || authTime.isEmpty() ? null : Instant.ofEpochSecond(Long.parseLong(authTime)),
                null);
        // Rotation is one step under the live grant: a concurrent reuse or revocation cannot miss the new pair.
        IssuedTokens tokens = grants.underLiveGrant(grant.grantId(), () ->
                store.consume(refresh, Map.of(ROTATED, "true")) ? issuer.issue(grant, refresh.scopes()) : null);
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
                .filter(token -> token.kind() == TokenKind.REFRESH)
                .orElseThrow(() -> OAuthError.invalidGrant("Unknown refresh token"));
    }

    private static void checkClient(TokenRecord refresh, Client client) {
        if (!client.clientId().equals(refresh.clientId())) {
            throw OAuthError.invalidGrant("This refresh token was issued to another client");
        }
    }

    private void checkNotReused(TokenRecord refresh) {
        if ("true".equals(refresh.metadata().get(ROTATED))) {
            reused(refresh);
        }
    }

    private void reused(TokenRecord refresh) {
        int revoked = grants.revoke(refresh.metadata().get(TokenIssuer.GRANT));
        audit.record(AuditEvent.Type.REFRESH_TOKEN_REUSED, AuditEvent.Actor.client(refresh.clientId()), refresh.accountId(),
                refresh.metadata().get(TokenIssuer.GRANT), java.util.Map.of("tokens_revoked", revoked));
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
