package dev.gatehouse.token;

import dev.gatehouse.state.HotState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The one token store: sessions, API keys and, later, OAuth and agent tokens. PostgreSQL is the record;
 * a per-node {@link TokenCache} serves verification; revocations are broadcast through {@link HotState}
 * so every node drops its cached copy at once.
 */
@ApplicationScoped
@Startup // listens for other nodes' revocations from the start
public class TokenStore {
    static final String CHANGED_CHANNEL = "token-changed";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HotState hotState;
    private final UsageRecorder usage;
    private final TokenStoreConfig config;
    private final Counter databaseLookups;
    private final Clock clock = Clock.systemUTC();
    private TokenCache cache;

    TokenStore(HotState hotState, UsageRecorder usage, TokenStoreConfig config, MeterRegistry meters) {
        this.hotState = hotState;
        this.usage = usage;
        this.config = config;
        this.databaseLookups = Counter.builder("gatehouse.token.lookups")
                .description("Token lookups that missed the per-node cache and went to PostgreSQL")
                .tag("source", "database")
                .register(meters);
    }

    @PostConstruct
    void init() {
        cache = new TokenCache(config.ttl(), config.maxEntries(), this::loadByHash);
        hotState.subscribe(CHANGED_CHANNEL, hex -> cache.evict(TokenHash.ofHex(hex)));
    }

    /** Stores a token whose secret is {@code plaintext}; only its hash is written. */
    public TokenRecord issue(String plaintext, NewToken spec) {
        TokenEntity entity = new TokenEntity();
        entity.id = UUID.randomUUID();
        entity.kind = spec.kind();
        entity.accountId = spec.accountId();
        entity.clientId = spec.clientId();
        entity.secretHash = TokenHash.of(plaintext).bytes();
        entity.displayPrefix = spec.displayPrefix();
        entity.preview = spec.preview();
        entity.label = spec.label();
        entity.scopes = List.copyOf(spec.scopes());
        entity.environment = spec.environment();
        // PostgreSQL keeps microseconds; truncate so the cached copy equals what a reload returns.
        entity.createdAt = now().truncatedTo(ChronoUnit.MICROS);
        entity.expiresAt = spec.expiresAt() == null ? null : spec.expiresAt().truncatedTo(ChronoUnit.MICROS);
        entity.metadata = new java.util.HashMap<>(spec.metadata());
        QuarkusTransaction.joiningExisting().run(entity::persist);
        TokenRecord token = entity.toRecord();
        cache.put(token);
        return token;
    }

    /** The token a caller presented, if it exists and is neither revoked nor expired. */
    public Optional<TokenRecord> findActive(String presented) {
        return find(TokenHash.of(presented)).filter(token -> token.isActiveAt(now()));
    }

    /** The token with this secret hash, whatever its state. */
    public Optional<TokenRecord> find(TokenHash hash) {
        return cache.find(hash);
    }

    /** Counts one use; written in the next batch. */
    public void recordUse(TokenRecord token) {
        usage.record(token.id());
    }

    /** An account's tokens of one kind, newest first, read fresh from PostgreSQL. */
    public List<TokenRecord> listOwned(UUID accountId, TokenKind kind) {
        return QuarkusTransaction.joiningExisting().call(() -> TokenEntity
                .<TokenEntity>list("accountId = ?1 and kind = ?2 order by createdAt desc", accountId, kind)
                .stream().map(TokenEntity::toRecord).toList());
    }

    /** One token of an account's, read fresh; empty when it belongs to someone else. */
    public Optional<TokenRecord> findOwned(UUID accountId, TokenKind kind, UUID id) {
        return QuarkusTransaction.joiningExisting().call(() -> ownedEntity(accountId, kind, id).map(TokenEntity::toRecord));
    }

    public Optional<TokenRecord> relabel(UUID accountId, TokenKind kind, UUID id, String label) {
        Optional<TokenRecord> updated = QuarkusTransaction.joiningExisting().call(() -> ownedEntity(accountId, kind, id)
                .map(entity -> {
                    entity.label = label;
                    return entity.toRecord();
                }));
        updated.ifPresent(this::broadcastChange);
        return updated;
    }

    /**
     * Revokes at once on every node: the row is marked in its own transaction, then every node's cache
     * drops the token, so the next request anywhere reloads the revoked row. Empty when not found.
     */
    public Optional<TokenRecord> revokeOwned(UUID accountId, TokenKind kind, UUID id) {
        Optional<TokenRecord> revoked = QuarkusTransaction.requiringNew().call(() -> ownedEntity(accountId, kind, id)
                .map(entity -> {
                    if (entity.revokedAt == null) {
                        entity.revokedAt = now().truncatedTo(ChronoUnit.MICROS);
                    }
                    return entity.toRecord();
                }));
        revoked.ifPresent(this::broadcastChange);
        return revoked;
    }

    /** Revokes the token presented, e.g. a session at sign-out. */
    public void revoke(String presented) {
        TokenHash hash = TokenHash.of(presented);
        QuarkusTransaction.requiringNew().run(() -> TokenEntity.update(
                "revokedAt = ?1 where secretHash = ?2 and revokedAt is null", now().truncatedTo(ChronoUnit.MICROS), hash.bytes()));
        hotState.publish(CHANGED_CHANNEL, hash.hex());
    }

    /**
     * Uses up a single-use token (an authorization code, a refresh token being rotated): revokes it and
     * records {@code note} in its metadata, atomically. Only one of several concurrent callers wins;
     * the others get false and must treat the token as replayed.
     */
    public boolean consume(TokenRecord token, Map<String, String> note) {
        int updated = QuarkusTransaction.joiningExisting().call(() -> TokenEntity.getEntityManager()
                .createNativeQuery("update token set revoked_at = ?1, metadata = metadata || cast(?2 as jsonb) "
                        + "where id = ?3 and revoked_at is null")
                .setParameter(1, now().truncatedTo(ChronoUnit.MICROS))
                .setParameter(2, JSON.valueToTree(note).toString())
                .setParameter(3, token.id())
                .executeUpdate());
        broadcastChange(token);
        return updated == 1;
    }

    /**
     * Revokes every live token of one authorization grant, joining the caller's transaction; the caller
     * {@link #announce}s them once it has committed, so no node reloads a row before the change is visible.
     */
    public List<TokenRecord> revokeGrantTokens(String grantId) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            List<TokenEntity> tokens = TokenEntity.getEntityManager()
                    .createNativeQuery("select * from token where metadata ->> 'grant' = ?1 and revoked_at is null for update",
                            TokenEntity.class)
                    .setParameter(1, grantId)
                    .getResultList();
            Instant at = now().truncatedTo(ChronoUnit.MICROS);
            tokens.forEach(entity -> entity.revokedAt = at);
            return tokens.stream().map(TokenEntity::toRecord).toList();
        });
    }

    /** Revokes every live token whose metadata holds all of {@code match} (e.g. a provider's iss and sub). */
    public List<TokenRecord> revokeMatching(Map<String, String> match) {
        List<TokenRecord> revoked = QuarkusTransaction.requiringNew().call(() -> {
            List<TokenEntity> tokens = TokenEntity.getEntityManager()
                    .createNativeQuery("select * from token where metadata @> cast(?1 as jsonb) and revoked_at is null for update",
                            TokenEntity.class)
                    .setParameter(1, JSON.valueToTree(match).toString())
                    .getResultList();
            Instant at = now().truncatedTo(ChronoUnit.MICROS);
            tokens.forEach(entity -> entity.revokedAt = at);
            return tokens.stream().map(TokenEntity::toRecord).toList();
        });
        announce(revoked);
        return revoked;
    }

    /** Tells every node's cache that these tokens changed. */
    public void announce(List<TokenRecord> changed) {
        changed.forEach(this::broadcastChange);
    }

    /** Revokes one token, whoever owns it (revocation endpoint, RFC 7009). */
    public void revoke(TokenRecord token) {
        QuarkusTransaction.requiringNew().run(() -> TokenEntity.update(
                "revokedAt = ?1 where id = ?2 and revokedAt is null", now().truncatedTo(ChronoUnit.MICROS), token.id()));
        broadcastChange(token);
    }

    /** One token by id, read fresh. */
    public Optional<TokenRecord> findById(UUID id) {
        return QuarkusTransaction.joiningExisting()
                .call(() -> TokenEntity.<TokenEntity>findByIdOptional(id).map(TokenEntity::toRecord));
    }

    /**
     * Hands an unowned credential (an agent's key) to an account with new scopes, in place: the same
     * secret keeps working. Joins the caller's transaction; the caller {@link #announce}s it after commit.
     */
    public TokenRecord claim(UUID id, UUID accountId, List<String> scopes, String label) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            TokenEntity entity = TokenEntity.<TokenEntity>findByIdOptional(id).orElseThrow();
            entity.accountId = accountId;
            entity.scopes = List.copyOf(scopes);
            entity.label = label;
            return entity.toRecord();
        });
    }

    /** The token for this hash only if this node has it cached: no lookup happens. */
    public Optional<TokenRecord> peek(TokenHash hash) {
        return cache.peek(hash);
    }

    private void broadcastChange(TokenRecord token) {
        hotState.publish(CHANGED_CHANNEL, TokenHash.wrap(token.secretHash()).hex());
    }

    private static Optional<TokenEntity> ownedEntity(UUID accountId, TokenKind kind, UUID id) {
        return TokenEntity.<TokenEntity>find("id = ?1 and accountId = ?2 and kind = ?3", id, accountId, kind)
                .firstResultOptional();
    }

    private Optional<TokenRecord> loadByHash(TokenHash tokenHash) {
        databaseLookups.increment();
        byte[] hash = tokenHash.bytes();
        return QuarkusTransaction.joiningExisting().call(() -> TokenEntity
                .<TokenEntity>find("secretHash", hash).firstResultOptional().map(TokenEntity::toRecord));
    }

    public Instant now() {
        return clock.instant();
    }
}
