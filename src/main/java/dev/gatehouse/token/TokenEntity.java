package dev.gatehouse.token;

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
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of the token store. Outside {@link TokenStore} tokens travel as immutable {@link TokenRecord}s. */
@Entity
@Table(name = "token")
// Only what changed is written: a change can never write back a column someone else updated meanwhile.
@DynamicUpdate
public class TokenEntity extends PanacheEntityBase {
    @Id
    public UUID id;

    public TokenKind kind;

    @Column(name = "account_id")
    public UUID accountId;

    @Column(name = "client_id")
    public String clientId;

    @Column(name = "secret_hash", nullable = false, updatable = false)
    public byte[] secretHash;

    @Column(name = "display_prefix")
    public String displayPrefix;

    public String preview;

    public String label;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> scopes = new ArrayList<>();

    public Environment environment;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    @Column(name = "usage_count")
    public long usageCount;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> metadata = new HashMap<>();

    /** Canonical CIDR ranges; empty: usable from anywhere. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "ip_allowlist")
    public List<String> ipAllowlist = new ArrayList<>();

    /** The key this one succeeded in a roll. */
    public UUID replaces;

    /** An operator's rate-limit policy for this key; null: its owner's plan decides. */
    @Column(name = "rate_limit_policy")
    public String rateLimitPolicy;

    /** The authorization a code or refresh token belongs to; revoked with it. */
    @Column(name = "authorization_id")
    public UUID authorizationId;

    /** When a single-use token (a code, a refresh token) was used up. */
    @Column(name = "used_at")
    public Instant usedAt;

    TokenRecord toRecord() {
        return new TokenRecord(id, kind, accountId, clientId, secretHash, displayPrefix, preview, label,
                scopes, environment, createdAt, expiresAt, revokedAt, lastUsedAt, usageCount, metadata,
                IpAllowlist.parse(ipAllowlist), replaces, rateLimitPolicy, authorizationId, List.of(), usedAt);
    }
}
