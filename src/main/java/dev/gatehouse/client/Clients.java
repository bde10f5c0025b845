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
 * The client registry: look-up (including client ID metadata documents) and storage. Registered clients
 * are cached per node for a minute: every token, revocation and introspection request authenticates
 * one, and they change only when registered or re-seeded at start-up. A newly registered client's id
 * has never been looked up anywhere, so no node can hold a stale "unknown" for it.
 */
@ApplicationScoped
public class Clients {
    private final ClientMetadataDocuments documents;
    private final Cache<String, Optional<Client>> registered = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(1)).maximumSize(10_000).build();

    Clients(ClientMetadataDocuments documents) {
        this.documents = documents;
    }

    /** The client, if registered, or described by the metadata document its https client_id names. */
    public Optional<Client> find(String clientId) {
        if (clientId == null || clientId.isBlank()) {
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
        ClientEntity entity = new ClientEntity();
        entity.clientId = clientId;
        entity.clientName = name;
        entity.secretHash = secretHash == null ? null : secretHash.clone();
        entity.tokenEndpointAuthMethod = authMethod;
        entity.redirectUris = List.copyOf(redirectUris);
        entity.grantTypes = List.copyOf(grantTypes);
        entity.scopes = List.copyOf(scopes);
        entity.firstParty = firstParty;
        entity.skipConsent = skipConsent;
        entity.origin = origin;
        entity.metadata = new java.util.HashMap<>(metadata);
        entity.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        QuarkusTransaction.joiningExisting().run(() -> ClientEntity.getEntityManager().merge(entity));
        registered.invalidate(clientId);
        return entity.toClient();
    }

}
