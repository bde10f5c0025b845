package dev.gatehouse.client;

import dev.gatehouse.db.Sql;

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

    private final Sql sql;
    private final java.time.Clock clock;

    Clients(ClientMetadataDocuments documents, Sql sql, java.time.Clock clock) {
        this.documents = documents;
        this.sql = sql;
        this.clock = clock;
    }

    private static final String COLUMNS = "client_id, client_name, secret_hash, token_endpoint_auth_method, redirect_uris, grant_types,"
            + " scopes, first_party, skip_consent, origin, metadata, created_at, previous_secret_hash, previous_secret_expires_at,"
            + " access_token_lifetime_seconds, refresh_token_lifetime_seconds, updated_at, id_token_signed_response_alg";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private static Client read(java.sql.ResultSet row) throws java.sql.SQLException {
        byte[] previous = row.getBytes("previous_secret_hash");
        return new Client(row.getString("client_id"), row.getString("client_name"), row.getBytes("secret_hash"),
                row.getString("token_endpoint_auth_method"), Sql.texts(row, "redirect_uris"), Sql.texts(row, "grant_types"), Sql.texts(row, "scopes"),
                row.getBoolean("first_party"), row.getBoolean("skip_consent"), row.getString("origin"),
                Sql.labels(row, "metadata"), Sql.instant(row, "created_at"),
                previous == null ? null : new Client.RetiredSecret(previous, Sql.instant(row, "previous_secret_expires_at")),
                new Client.TokenLifetimes(seconds(row, "access_token_lifetime_seconds"), seconds(row, "refresh_token_lifetime_seconds")),
                Sql.instant(row, "updated_at"), row.getString("id_token_signed_response_alg"));
    }

    private static Duration seconds(java.sql.ResultSet row, String column) throws java.sql.SQLException {
        int seconds = row.getInt(column);
        return row.wasNull() ? null : Duration.ofSeconds(seconds);
    }

    private static Integer seconds(Duration duration) {
        return duration == null ? null : Math.toIntExact(duration.toSeconds());
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
        return registered.get(clientId, id -> sql.one("select " + COLUMNS + " from oauth_client where client_id = ?", Clients::read, id));
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
                origin, metadata, clock.instant().truncatedTo(ChronoUnit.MICROS)));
    }

    /** Stores a client as it is, created or replaced, in the caller's transaction if there is one. */
    public Client store(Client client) {
        String metadata;
        try {
            metadata = JSON.writeValueAsString(client.metadata());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        sql.update("insert into oauth_client (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb), ?, ?, ?, ?, ?, ?, ?)"
                + " on conflict (client_id) do update set (" + COLUMNS.substring("client_id, ".length()) + ") = (excluded."
                + COLUMNS.substring("client_id, ".length()).replace(", ", ", excluded.") + ")",
                client.clientId(), client.clientName(), client.secretHash(), client.tokenEndpointAuthMethod(), client.redirectUris(),
                client.grantTypes(), client.scopes(), client.firstParty(), client.skipConsent(), client.origin(), metadata,
                client.createdAt(), client.previousSecret() == null ? null : client.previousSecret().hash(),
                client.previousSecret() == null ? null : client.previousSecret().until(), seconds(client.lifetimes().accessToken()),
                seconds(client.lifetimes().refreshToken()), client.updatedAt(), client.idTokenSignedResponseAlg());
        registered.invalidate(client.clientId());
        return client;
    }

    /** A stored client (registered, seeded, configured or made by an operator; not a metadata document). */
    public Optional<Client> stored(String clientId) {
        return ClientMetadataDocuments.isDocumentUrl(clientId) ? Optional.empty() : find(clientId);
    }

    /** Stored clients in client_id order, after {@code after} (null: from the first), {@code limit} at most. */
    public List<Client> page(String after, int limit) {
        return sql.list("select " + COLUMNS + " from oauth_client where client_id > ? order by client_id limit ?", Clients::read,
                after == null ? "" : after, limit);
    }

    /** The ids of the stored clients of one origin ({@code configured}, {@code admin}, …). */
    public List<String> idsOfOrigin(String origin) {
        return sql.list("select client_id from oauth_client where origin = ?", row -> row.getString(1), origin);
    }

    /**
     * Whether {@code name} reads like the name of a client an operator made (the dashboard, a configured or
     * admin-made client): compared without case, spacing or punctuation, so "Gatehouse  Dashboard!" counts.
     */
    public boolean namesAnOperatorClient(String name) {
        String wanted = comparable(name);
        return sql.list("select client_name from oauth_client where origin not in ('registered', 'metadata_document')", row -> row.getString(1))
                .stream().anyMatch(clientName -> comparable(clientName).equals(wanted));
    }

    private static String comparable(String name) {
        return java.text.Normalizer.normalize(name == null ? "" : name, java.text.Normalizer.Form.NFKC)
                .toLowerCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", "");
    }

    /** Deletes a stored client; false if there was none. */
    public boolean delete(String clientId) {
        boolean deleted = sql.update("delete from oauth_client where client_id = ?", clientId) > 0;
        registered.invalidate(clientId);
        return deleted;
    }
}
