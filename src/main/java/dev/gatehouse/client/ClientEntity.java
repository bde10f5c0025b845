package dev.gatehouse.client;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "oauth_client")
public class ClientEntity extends PanacheEntityBase {
    @Id
    @Column(name = "client_id")
    public String clientId;

    @Column(name = "client_name")
    public String clientName;

    @Column(name = "secret_hash")
    public byte[] secretHash;

    @Column(name = "token_endpoint_auth_method")
    public String tokenEndpointAuthMethod;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "redirect_uris")
    public List<String> redirectUris = new ArrayList<>();

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "grant_types")
    public List<String> grantTypes = new ArrayList<>();

    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> scopes = new ArrayList<>();

    @Column(name = "first_party")
    public boolean firstParty;

    @Column(name = "skip_consent")
    public boolean skipConsent;

    public String origin;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> metadata = new HashMap<>();

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "previous_secret_hash")
    public byte[] previousSecretHash;

    @Column(name = "previous_secret_expires_at")
    public Instant previousSecretExpiresAt;

    @Column(name = "access_token_lifetime_seconds")
    public Integer accessTokenLifetimeSeconds;

    @Column(name = "refresh_token_lifetime_seconds")
    public Integer refreshTokenLifetimeSeconds;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "id_token_signed_response_alg")
    public String idTokenSignedResponseAlg;

    Client toClient() {
        return new Client(clientId, clientName, secretHash, tokenEndpointAuthMethod, redirectUris, grantTypes, scopes,
                firstParty, skipConsent, origin, metadata, createdAt,
                previousSecretHash == null ? null : new Client.RetiredSecret(previousSecretHash, previousSecretExpiresAt),
                new Client.TokenLifetimes(seconds(accessTokenLifetimeSeconds), seconds(refreshTokenLifetimeSeconds)), updatedAt,
                idTokenSignedResponseAlg);
    }

    /** Copies a client into this row (all but its id). */
    void set(Client client) {
        clientName = client.clientName();
        secretHash = client.secretHash();
        tokenEndpointAuthMethod = client.tokenEndpointAuthMethod();
        redirectUris = List.copyOf(client.redirectUris());
        grantTypes = List.copyOf(client.grantTypes());
        scopes = List.copyOf(client.scopes());
        firstParty = client.firstParty();
        skipConsent = client.skipConsent();
        origin = client.origin();
        metadata = new HashMap<>(client.metadata());
        createdAt = client.createdAt();
        previousSecretHash = client.previousSecret() == null ? null : client.previousSecret().hash();
        previousSecretExpiresAt = client.previousSecret() == null ? null : client.previousSecret().until();
        accessTokenLifetimeSeconds = seconds(client.lifetimes().accessToken());
        refreshTokenLifetimeSeconds = seconds(client.lifetimes().refreshToken());
        updatedAt = client.updatedAt();
        idTokenSignedResponseAlg = client.idTokenSignedResponseAlg();
    }

    private static java.time.Duration seconds(Integer seconds) {
        return seconds == null ? null : java.time.Duration.ofSeconds(seconds);
    }

    private static Integer seconds(java.time.Duration duration) {
        return duration == null ? null : Math.toIntExact(duration.toSeconds());
    }
}
