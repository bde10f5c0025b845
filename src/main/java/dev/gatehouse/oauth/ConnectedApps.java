package dev.gatehouse.oauth;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.client.Client;
import dev.gatehouse.client.Clients;
import dev.gatehouse.token.AuthorizationStore;
import dev.gatehouse.token.TokenStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The apps (OAuth clients, AI agents' clients among them) a person has authorised, as their /account/apps page
 * shows them: one entry per client over its live authorizations, and a revoke that ends all of them at once,
 * with every token issued under them, on every node, and withdraws the consent.
 */
@ApplicationScoped
public class ConnectedApps {
    /** One app: what it may do and since when, and when it last got a token. */
    public record ConnectedApp(String clientId, String name, boolean firstParty, List<String> scopes, Instant authorizedAt,
            Instant lastUsedAt) {
    }

    private final AuthorizationStore store;
    private final Authorizations authorizations;
    private final Clients clients;
    private final TokenStore tokens;

    ConnectedApps(AuthorizationStore store, Authorizations authorizations, Clients clients, TokenStore tokens) {
        this.store = store;
        this.authorizations = authorizations;
        this.clients = clients;
        this.tokens = tokens;
    }

    public List<ConnectedApp> of(UUID accountId) {
        return store.liveByClient(accountId, tokens.now()).stream().map(grant -> {
            Client client = clients.find(grant.clientId()).orElse(null);
            return new ConnectedApp(grant.clientId(), client == null || client.clientName() == null ? grant.clientId() : client.clientName(),
                    client != null && client.firstParty(), grant.scopes(), grant.firstAuthorizedAt(), grant.lastUsedAt());
        }).toList();
    }

    /** Revokes every live authorization the person gave {@code clientId}; how many there were (0: nothing to revoke). */
    public int revoke(UUID accountId, String clientId) {
        List<AuthorizationStore.ClientGrant> grants = store.liveByClient(accountId, tokens.now()).stream()
                .filter(grant -> grant.clientId().equals(clientId)).toList();
        int revoked = 0;
        for (AuthorizationStore.ClientGrant grant : grants) {
            for (UUID id : grant.authorizationIds()) {
                authorizations.revoke(id, accountId, AuditEvent.Actor.person(accountId));
                revoked++;
            }
        }
        return revoked;
    }
}
