package dev.gatehouse.client;

import dev.gatehouse.token.TokenHash;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The client registry: look-up (including client ID metadata documents) and storage. */
@ApplicationScoped
public class Clients {
    private final ClientMetadataDocuments documents;

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
        return QuarkusTransaction.joiningExisting()
                .call(() -> ClientEntity.<ClientEntity>findByIdOptional(clientId).map(ClientEntity::toClient));
    }

    /** Stores a client; {@code secret} is hashed here and never kept. */
    public Client save(String clientId, String name, String secret, String authMethod, List<String> redirectUris,
            List<String> grantTypes, List<String> scopes, boolean firstParty, boolean skipConsent, String origin,
            Map<String, String> metadata) {
        ClientEntity entity = new ClientEntity();
        entity.clientId = clientId;
        entity.clientName = name;
        entity.secretHash = secret == null ? null : TokenHash.of(secret).bytes();
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
        return entity.toClient();
    }

    public boolean exists(String clientId) {
        return QuarkusTransaction.joiningExisting().call(() -> ClientEntity.findByIdOptional(clientId).isPresent());
    }
}
