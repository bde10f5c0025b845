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

    Client toClient() {
        return new Client(clientId, clientName, secretHash, tokenEndpointAuthMethod, redirectUris, grantTypes, scopes,
                firstParty, skipConsent, origin, metadata, createdAt);
    }
}
