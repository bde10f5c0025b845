package dev.gatehouse.oauth;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.token.TokenRecord;
import dev.gatehouse.token.TokenStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Authorization grants: what ties a code, its refresh tokens and its access tokens together, so that the
 * family can be revoked as one (code reuse, refresh-token reuse, RFC 7009). Issuing under a grant and
 * revoking it are serialised on the grant's row, so no token issued concurrently escapes a revocation.
 */
@ApplicationScoped
public class Grants {
    private static final Logger LOG = Logger.getLogger(Grants.class);

    private final EntityManager entities;
    private final TokenStore store;

    private final AuditLog audit;

    Grants(EntityManager entities, TokenStore store, AuditLog audit) {
        this.audit = audit;
        this.entities = entities;
        this.store = store;
    }

    /** Records a new grant; joins the caller's transaction. */
    public String open(String clientId, UUID accountId) {
        UUID id = UUID.randomUUID();
        QuarkusTransaction.joiningExisting().run(() -> entities
                .createNativeQuery("insert into oauth_grant (id, client_id, account_id) values (?1, ?2, ?3)")
                .setParameter(1, id).setParameter(2, clientId).setParameter(3, accountId)
                .executeUpdate());
        audit.record(AuditEvent.Type.GRANT_ISSUED, accountId == null ? AuditEvent.Actor.client(clientId) : AuditEvent.Actor.person(accountId),
                accountId, id.toString(), Map.of("client_id", clientId));
        return id.toString();
    }

    /** Whether the person has approved this client before (a grant was opened for them), revoked since or not. */
    public boolean approvedBefore(String clientId, UUID accountId) {
        return QuarkusTransaction.joiningExisting().call(() -> ((Number) entities
                .createNativeQuery("select count(*) from (select 1 from oauth_grant where client_id = ?1 and account_id = ?2 limit 1) approved")
                .setParameter(1, clientId).setParameter(2, accountId).getSingleResult()).longValue() > 0);
    }

    /**
     * Runs {@code issuance} in one transaction that holds a share lock on the grant, refusing with
     * {@code invalid_grant} when the grant is revoked. A revocation waits for it, then sees its tokens.
     */
    public <T> T underLiveGrant(String grantId, Supplier<T> issuance) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<?> live = entities.createNativeQuery("select 1 from oauth_grant where id = ?1 and revoked_at is null for share")
                    .setParameter(1, UUID.fromString(grantId))
                    .getResultList();
            if (live.isEmpty()) {
                throw OAuthError.invalidGrant("The authorization grant was revoked");
            }
            return issuance.get();
        });
    }

    /** Revokes the grant and every live token issued under it, on every node. Returns how many tokens. */
    public int revoke(String grantId) {
        List<TokenRecord> revoked = QuarkusTransaction.requiringNew().call(() -> {
            entities.createNativeQuery("update oauth_grant set revoked_at = now() where id = ?1 and revoked_at is null")
                    .setParameter(1, UUID.fromString(grantId))
                    .executeUpdate();
            audit.record(AuditEvent.Type.GRANT_REVOKED, audit.operator(), null, grantId, Map.of());
            return store.revokeGrantTokens(grantId);
        });
        LOG.infof("Grant %s revoked with %d live tokens", grantId, revoked.size());
        return revoked.size();
    }

    /** Revokes every grant of a client and every live token issued to it, on every node (the client was deleted). */
    public int revokeClient(String clientId) {
        List<TokenRecord> revoked = QuarkusTransaction.joiningExisting().call(() -> {
            entities.createNativeQuery("update oauth_grant set revoked_at = now() where client_id = ?1 and revoked_at is null")
                    .setParameter(1, clientId)
                    .executeUpdate();
            return store.revokeClientTokens(clientId);
        });
        LOG.infof("Client %s: its grants revoked with %d live tokens", clientId, revoked.size());
        return revoked.size();
    }
}
