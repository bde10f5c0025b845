package dev.gatehouse.oauth;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.token.Authorization;
import dev.gatehouse.token.AuthorizationStore;
import dev.gatehouse.token.TokenRecord;
import dev.gatehouse.token.TokenStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Authorizations as the OAuth flows use them: opened when a person allows a client, the one thing every
 * code, refresh token and access token of that consent belongs to, and revoked as one (code reuse,
 * refresh-token reuse, RFC 7009). Audited.
 */
@ApplicationScoped
public class Authorizations {
    private static final Logger LOG = Logger.getLogger(Authorizations.class);

    private final AuthorizationStore store;
    private final TokenStore tokens;
    private final AuditLog audit;

    Authorizations(AuthorizationStore store, TokenStore tokens, AuditLog audit) {
        this.store = store;
        this.tokens = tokens;
        this.audit = audit;
    }

    /** Stores a new authorization; joins the caller's transaction. */
    public Authorization open(Authorization authorization) {
        store.store(authorization);
        audit.record(AuditEvent.Type.GRANT_ISSUED, AuditEvent.Actor.person(authorization.accountId()), authorization.accountId(),
                authorization.id().toString(), Map.of("client_id", authorization.clientId()));
        return authorization;
    }

    /** Whether the person's consent to this client stands (see {@link AuthorizationStore#approvedBefore}). */
    public boolean approvedBefore(String clientId, UUID accountId) {
        return store.approvedBefore(clientId, accountId, tokens.now());
    }

    /**
     * Runs {@code issuance} in one transaction that holds a share lock on the live authorization, refusing
     * with {@code invalid_grant} when it is revoked, expired, or its account disabled. A revocation waits
     * for it, then revokes what it issued.
     */
    public <T> T underLive(UUID id, Function<Authorization, T> issuance) {
        return QuarkusTransaction.requiringNew().call(() -> issuance.apply(store.lockLive(id, tokens.now())
                .orElseThrow(() -> OAuthError.invalidGrant("The authorization grant was revoked or has expired"))));
    }

    /**
     * Revokes the authorization, on every node, in a transaction of its own (a revocation holds even if
     * the caller's work fails afterwards), audited for the person it belonged to. Returns how many stored
     * tokens it revoked with it.
     */
    public int revoke(UUID id, UUID accountId, AuditEvent.Actor by) {
        List<TokenRecord> revoked = QuarkusTransaction.requiringNew().call(() -> {
            List<TokenRecord> tokensRevoked = tokens.revokeAuthorization(id);
            audit.record(AuditEvent.Type.GRANT_REVOKED, by, accountId, id.toString(), Map.of("tokens_revoked", tokensRevoked.size()));
            return tokensRevoked;
        });
        LOG.infof("Authorization %s revoked, with %d stored tokens and every access token naming it", id, revoked.size());
        return revoked.size();
    }
}
