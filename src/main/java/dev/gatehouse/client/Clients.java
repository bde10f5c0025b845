package dev.gatehouse.client;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatehouse.token.TokenHash;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The client registry: look-up (including client ID metadata documents) and storage. Stored clients are
 * cached per node for 10 seconds: every token, revocation and introspection request authenticates one.
 * The node that changes a client (the admin API) forgets it at once; other nodes within those 10 seconds,
 * which bounds how long a deleted client or a secret past its grace period still works there. A newly
 * registered client's id has never been looked up anywhere, so no node can hold a stale "unknown" for it.
 */
@ApplicationScoped
public class Clients {
    private final ClientMetadataDocuments documents;
    private final Cache<String, Optional<Client>> registered = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofSeconds(10)).maximumSize(10_000).build();

    Clients(ClientMetadataDocuments documents) {
        this.documents = documents;
    }

    /** The client, if registered, or described by the metadata document its https client_id names. */
    public Optional<Client> find(String clientId) {
        // No client id holds a control character, and PostgreSQL cannot even compare one with a NUL.
        if (clientId == null || clientId.isBlank() || clientId.length() > 2000 || clientId.chars().anyMatch(c -> c < 0x20)) {
            return Optional.empty();
        }
        if (ClientMetadataDocuments.isDocumentUrl(clientId)) {
            return documents.fetch(clientId);
        }
        return registered.get(clientId, id -> QuarkusTransaction.joiningExisting()
                .call(() -> ClientEntity.<ClientEntity>findByIdOptional(id).map(ClientEntity::toClient)));
    }

    /** Stores a client; {@code secret} is hashed here and never kept. */
    public Client save(String clientId, String name, String secret, String authMethod, List<String> redirectUris,
            List<String> grantTypes, List<String> scopes, boolean firstParty, boolean skipConsent, String origin,
            Map<String, String> metadata) {
        return saveHashed(clientId, name, secret == null ? null : TokenHash.of(secret).bytes(), authMethod, redirectUris,
                grantTypes, scopes, firstParty, skipConsent, origin, metadata);
    }

    /**
     * Stores a client whose secret is known only by its SHA-256 (a client seeded from configuration, where the
     * operator wrote the hash so that the secret is never at rest in plain text).
     */
    public Client saveHashed(String clientId, String name, byte[] secretHash, String authMethod, List<String> redirectUris,
            List<String> grantTypes, List<String> scopes, boolean firstParty, boolean skipConsent, String origin,
            Map<String, String> metadata) {
        return store(Client.of(clientId, name, secretHash, authMethod, redirectUris, grantTypes, scopes, firstParty, skipConsent,
                origin, metadata, Instant.now().truncatedTo(ChronoUnit.MICROS)));
    }

    /** Stores a client as it is, created or replaced, in the caller's transaction if there is one. */
    public Client store(Client client) {
        ClientEntity entity = new ClientEntity();
        entity.clientId = client.clientId();
        entity.set(client);
        QuarkusTransaction.joiningExisting().run(() -> ClientEntity.getEntityManager().merge(entity));
        registered.invalidate(client.clientId());
        return client;
    }

    /** A stored client (registered, seeded, configured or made by an operator; not a metadata document). */
    public Optional<Client> stored(String clientId) {
        return ClientMetadataDocuments.isDocumentUrl(clientId) ? Optional.empty() : find(clientId);
    }

    /** Stored clients in client_id order, after {@code after} (null: from the first), {@code limit} at most. */
    public List<Client> page(String after, int limit) {
        return QuarkusTransaction.joiningExisting().call(() -> ClientEntity.<ClientEntity>find(
                after == null ? "order by clientId" : "clientId > ?1 order by clientId", after == null ? new Object[0] : new Object[] {after})
                .page(0, limit).list().stream().map(ClientEntity::toClient).toList());
    }

    /** The ids of the stored clients of one origin ({@code configured}, {@code admin}, …). */
    public List<String> idsOfOrigin(String origin) {
        return QuarkusTransaction.joiningExisting().call(() -> ClientEntity.<ClientEntity>list("origin", origin).stream()
                .map(entity -> entity.clientId).toList());
    }

    /**
     * Whether {@code name} reads like the name of a client an operator made (the dashboard, a configured or
     * admin-made client): compared without case, spacing or punctuation, so "Gatehouse  Dashboard!" counts.
     */
    public boolean namesAnOperatorClient(String name) {
        String wanted = comparable(name);
        return QuarkusTransaction.joiningExisting().call(() -> ClientEntity.<ClientEntity>list("origin not in ('registered', 'metadata_document')")
                .stream().anyMatch(entity -> comparable(entity.clientName).equals(wanted)));
    }

    private static String comparable(String name) {
        return java.text.Normalizer.normalize(name == null ? "" : name, java.text.Normalizer.Form.NFKC)
                .toLowerCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", "");
    }

    /** Deletes a stored client; false if there was none. */
    public boolean delete(String clientId) {
        boolean deleted = QuarkusTransaction.joiningExisting().call(() -> ClientEntity.deleteById(clientId));
        registered.invalidate(clientId);
        return deleted;
    }
}
