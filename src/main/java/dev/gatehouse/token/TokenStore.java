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
import java.util.List;
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
