package dev.gatehouse.token;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.narayana.jta.QuarkusTransactionException;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The one token store: sessions, API keys, OAuth and agent tokens. PostgreSQL is the record; a per-node
 * {@link TokenCache} serves verification. Every change to a stored token goes through
 * {@link RevocationBroadcast#announce} inside the transaction that makes it: this node's cache drops the
 * token as the transaction commits, every other node's when the NOTIFY arrives.
 */
@ApplicationScoped
@Startup // listens for other nodes' changes from the start
public class TokenStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RevocationBroadcast broadcast;
    private final UsageRecorder usage;
    private final TokenStoreConfig config;
    private final Counter databaseLookups;
    private final Clock clock;
    private final RevocationList revocations;
    private final AuthorizationStore authorizations;
    private final io.agroal.api.AgroalDataSource dataSource;
    private TokenCache cache;
    private dev.gatehouse.schedule.Every revocationListReader;

    TokenStore(RevocationBroadcast broadcast, UsageRecorder usage, TokenStoreConfig config, MeterRegistry meters, Clock clock,
            RevocationList revocations, AuthorizationStore authorizations, io.agroal.api.AgroalDataSource dataSource) {
        this.dataSource = dataSource;
        this.broadcast = broadcast;
        this.revocations = revocations;
        this.authorizations = authorizations;
        this.usage = usage;
        this.config = config;
        this.clock = clock;
        this.databaseLookups = Counter.builder("gatehouse.token.lookups")
                .description("Token lookups that missed the per-node cache and went to PostgreSQL")
                .tag("source", "database")
                .register(meters);
    }

    @PostConstruct
    void init() {
        Duration keepFor = config.ttl().compareTo(config.staleWhileUnavailable()) > 0 ? config.ttl() : config.staleWhileUnavailable();
        cache = new TokenCache(keepFor, this::believeWhileUnavailable, config.maxEntries(), this::loadByHash);
        broadcast.onChange(hashes -> hashes.forEach(cache::evict));
        broadcast.onResync(cache::clear);
        broadcast.onRevocation(revocations::apply);
        // Listening again after a gap: the list is read whole, or the node does not count as listening (the
        // failure ends this attempt and the listener tries again), so an entry missed meanwhile is never lost.
        broadcast.onResync(() -> {
            try {
                revocations.load();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("the revocation list could not be read", e);
            }
        });
        readRevocationList();
        broadcast.start();
        // While the broadcast is not trusted, entries of the list may go unheard: read it again as often as
        // cached tokens are read again then. While it is, only drop what expired.
        revocationListReader = dev.gatehouse.schedule.Every.start("gatehouse-revocation-list", broadcast.degradedCacheTtl(), () -> {
            if (!broadcast.trusted() || !revocations.loaded()) {
                readRevocationList();
            } else {
                revocations.forgetPast(now());
            }
        });
    }

    @jakarta.annotation.PreDestroy
    void stopReadingRevocationList() {
        if (revocationListReader != null) {
            revocationListReader.close();
        }
    }

    private void readRevocationList() {
        try {
            revocations.load();
        } catch (java.sql.SQLException | RuntimeException e) {
            // PostgreSQL does not answer: no one can add an entry meanwhile either; read again next time.
        }
    }

    /**
     * Whether a cached token is still believed while PostgreSQL does not answer this node. A cached copy is
     * current as of its read, or as of the broadcast's last heartbeat if later: every change committed before
     * that beat was heard. In an outage nobody can revoke anything, so it is believed through
     * {@code stale-while-unavailable}; but while other nodes may still reach PostgreSQL (this node alone is
     * cut off, or it cannot tell yet), revocations may go on there unseen here, so only through the cache
     * TTL, the bound a node keeps without its broadcast.
     */
    private boolean believeWhileUnavailable(long readAtNanos, long nowNanos) {
        long currentAsOf = Math.max(readAtNanos, broadcast.lastHeardNanos());
        Duration limit = broadcast.othersMayReachPostgres() ? config.ttl() : config.staleWhileUnavailable();
        return nowNanos - currentAsOf <= limit.toNanos();
    }

    /** Stores a token whose secret is {@code plaintext}; only its hash is written. */
    public TokenRecord issue(String plaintext, NewToken spec) {
        TokenEntity entity = newEntity(plaintext, spec);
        // Plain JDBC, as the lookup: issuing a code or a refresh token is on the token endpoint's hot path.
        QuarkusTransaction.joiningExisting().run(() -> {
            TokenEntity.getEntityManager().flush(); // what the transaction made before (an account) is written first
            TokenEntity.getEntityManager().unwrap(org.hibernate.Session.class).doWork(jdbc -> insert(jdbc, entity));
        });
        TokenRecord token = entity.toRecord();
        if (!token.kind().singleUse()) {
            cache.put(token);
        }
        return token;
    }

    private static void insert(java.sql.Connection jdbc, TokenEntity token) throws java.sql.SQLException {
        try (java.sql.PreparedStatement insert = jdbc.prepareStatement("insert into token (id, kind, account_id, client_id,"
                + " secret_hash, display_prefix, preview, label, scopes, environment, created_at, expires_at, metadata,"
                + " ip_allowlist, authorization_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb), ?, ?)")) {
            insert.setObject(1, token.id);
            insert.setString(2, token.kind.column());
            insert.setObject(3, token.accountId);
            insert.setString(4, token.clientId);
            insert.setBytes(5, token.secretHash);
            insert.setString(6, token.displayPrefix);
            insert.setString(7, token.preview);
            insert.setString(8, token.label);
            insert.setArray(9, jdbc.createArrayOf("text", token.scopes.toArray()));
            insert.setString(10, token.environment == null ? null : token.environment.value());
            insert.setTimestamp(11, java.sql.Timestamp.from(token.createdAt));
            insert.setTimestamp(12, token.expiresAt == null ? null : java.sql.Timestamp.from(token.expiresAt));
            insert.setString(13, JSON.valueToTree(token.metadata).toString());
            insert.setArray(14, jdbc.createArrayOf("text", token.ipAllowlist.toArray()));
            insert.setObject(15, token.authorizationId);
            insert.executeUpdate();
        }
    }

    private TokenEntity newEntity(String plaintext, NewToken spec) {
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
        entity.ipAllowlist = new java.util.ArrayList<>(spec.ipAllowlist().cidrs());
        entity.authorizationId = spec.authorizationId();
        return entity;
    }

    /** The token a caller presented, if it exists and is neither revoked nor expired. */
    public Optional<TokenRecord> findActive(String presented) {
        return find(TokenHash.of(presented)).filter(token -> token.isActiveAt(now()));
    }

    /**
     * The token with this secret hash, whatever its state. Served from this node's cache; while the
     * revocation broadcast cannot be trusted, no cached copy older than {@code degraded-cache-ttl} is believed.
     *
     * @throws TokenStoreUnavailable when PostgreSQL must be asked and cannot answer
     */
    public Optional<TokenRecord> find(TokenHash hash) {
        return cache.find(hash, broadcast.trusted() ? config.ttl() : broadcast.degradedCacheTtl());
    }

    /** Counts one use; written in the next batch. */
    public void recordUse(TokenRecord token) {
        usage.record(token.id());
    }

    /** Counts one use from {@code address} (canonical text, null when unknown); written in the next batch. */
    public void recordUse(TokenRecord token, String address) {
        usage.record(token.id(), address);
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

    /** The key that succeeded this one in a roll, if any. */
    public Optional<UUID> successorOf(UUID id) {
        return QuarkusTransaction.joiningExisting().call(() -> TokenEntity.<TokenEntity>find("replaces", id)
                .firstResultOptional().map(entity -> entity.id));
    }

    /** What an owner may change on a stored token; a null field stays as it is. */
    public record Amendment(String label, IpAllowlist ipAllowlist) {
    }

    /** Changes an owned token's label and/or IP allowlist, on every node. Empty when not found. */
    public Optional<TokenRecord> amendOwned(UUID accountId, TokenKind kind, UUID id, Amendment amendment) {
        return changeOwned(accountId, kind, id, entity -> {
            if (amendment.label() != null) {
                entity.label = amendment.label();
            }
            if (amendment.ipAllowlist() != null) {
                entity.ipAllowlist = new java.util.ArrayList<>(amendment.ipAllowlist().cidrs());
            }
        });
    }

    /**
     * Revokes at once on every node: the row is marked and the change announced in one transaction.
     * Empty when not found; revoking a revoked token keeps its first revocation time.
     */
    public Optional<TokenRecord> revokeOwned(UUID accountId, TokenKind kind, UUID id) {
        // Its own transaction: a revocation holds even if the caller's work fails afterwards.
        return QuarkusTransaction.requiringNew().call(() -> changeOwned(accountId, kind, id, entity -> {
            if (entity.revokedAt == null) {
                entity.revokedAt = nowMicros();
            }
        }));
    }

    /** What a roll produced: the successor, with its plaintext for the one answer that shows it. */
    public record Rolled(TokenRecord successor, TokenRecord predecessor) {
    }

    /**
     * Rolls an owned token (seeds 000 and 002): stores {@code successor} as a copy of it (scopes, label,
     * environment, IP allowlist, expiry, kind) and lets the old one live until {@code oldStopsAt} (now:
     * revoked at once). Both happen in one transaction, locked on the old row, so a key is rolled once.
     * Empty when not found; {@link IllegalStateException} when it is no longer live or already rolled.
     */
    public Optional<Rolled> rollOwned(UUID accountId, TokenKind kind, UUID id, String successorPlaintext,
            String displayPrefix, String preview, Instant oldStopsAt) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            Optional<TokenEntity> found = ownedEntityForUpdate(accountId, kind, id);
            if (found.isEmpty()) {
                return Optional.<Rolled>empty();
            }
            TokenEntity old = found.get();
            if (!old.toRecord().isActiveAt(now())) {
                throw new IllegalStateException("This key is revoked or expired: there is nothing to roll");
            }
            if (TokenEntity.count("replaces", id) > 0) {
                throw new IllegalStateException("This key was rolled already: roll its successor instead");
            }
            TokenRecord before = old.toRecord();
            NewToken copy = NewToken.of(before.kind(), before.accountId())
                    .withClient(before.clientId())
                    .withDisplay(displayPrefix, preview)
                    .withLabel(before.label())
                    .withScopes(before.scopes())
                    .withEnvironment(before.environment())
                    .expiringAt(before.expiresAt())
                    .withMetadata(before.metadata())
                    .withIpAllowlist(before.ipAllowlist());
            TokenEntity successor = newEntity(successorPlaintext, copy);
            successor.replaces = old.id;
            successor.persist();
            Instant stops = oldStopsAt.truncatedTo(ChronoUnit.MICROS);
            if (!stops.isAfter(now())) {
                old.revokedAt = nowMicros();
            } else if (old.expiresAt == null || stops.isBefore(old.expiresAt)) {
                old.expiresAt = stops;
            }
            broadcast.announce(List.of(TokenHash.wrap(old.secretHash)));
            return Optional.of(new Rolled(successor.toRecord(), old.toRecord()));
        });
    }

    /** Loads an owned row for update, applies {@code change} and announces it, all in one transaction. */
    private Optional<TokenRecord> changeOwned(UUID accountId, TokenKind kind, UUID id, Consumer<TokenEntity> change) {
        return QuarkusTransaction.joiningExisting().call(() -> ownedEntityForUpdate(accountId, kind, id).map(entity -> {
            change.accept(entity);
            broadcast.announce(List.of(TokenHash.wrap(entity.secretHash)));
            return entity.toRecord();
        }));
    }

    /** Revokes the token presented, e.g. a session at sign-out. */
    public void revoke(String presented) {
        TokenHash hash = TokenHash.of(presented);
        QuarkusTransaction.requiringNew().run(() -> {
            TokenEntity.update("revokedAt = ?1 where secretHash = ?2 and revokedAt is null", nowMicros(), hash.bytes());
            broadcast.announce(List.of(hash));
        });
    }

    /** Revokes one token, whoever owns it (revocation endpoint, RFC 7009; leaked-key reports). */
    public void revoke(TokenRecord token) {
        // Its own transaction: a revocation holds even if the caller's work fails afterwards.
        QuarkusTransaction.requiringNew().run(() -> {
            TokenEntity.update("revokedAt = ?1 where id = ?2 and revokedAt is null", nowMicros(), token.id());
            broadcast.announce(List.of(TokenHash.wrap(token.secretHash())));
        });
    }

    /**
     * Uses up a single-use token (an authorization code, a refresh token being rotated): marks it used and
     * revoked, atomically. Only one of several concurrent callers wins; the others get false and must
     * treat the token as replayed.
     */
    public boolean consume(TokenRecord token) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            int updated = TokenEntity.getEntityManager()
                    .createNativeQuery("update token set revoked_at = ?1, used_at = ?1 where id = ?2 and revoked_at is null")
                    .setParameter(1, nowMicros())
                    .setParameter(2, token.id())
                    .executeUpdate();
            broadcast.announce(List.of(TokenHash.wrap(token.secretHash())));
            return updated == 1;
        });
    }

    /**
     * Revokes an authorization on every node, in a transaction of its own: its row, its code and refresh
     * tokens, and (through the revocation list) every access token that names it. Returns the stored
     * tokens revoked.
     */
    public List<TokenRecord> revokeAuthorization(UUID authorizationId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            authorizations.markRevoked("id = ?1", authorizationId, nowMicros());
            revocations.add(broadcast, RevocationList.Kind.AUTHORIZATION, authorizationId.toString(), null);
            return revokeWhere("authorization_id = cast(?1 as uuid)", authorizationId.toString());
        });
    }

    /** Revokes one access token (a JWT, by its {@code jti}) on every node, until it would have expired. */
    public void revokeAccessToken(TokenRecord accessToken) {
        QuarkusTransaction.requiringNew().run(() -> revocations.add(broadcast, RevocationList.Kind.ACCESS_TOKEN,
                accessToken.id().toString(), accessToken.expiresAt()));
    }

    /**
     * Revokes everything of an account (it was disabled), in the caller's transaction: its stored tokens of
     * every kind, its authorizations, and (one entry on the revocation list) every access token issued for
     * it until now. One entry, however many authorizations the account holds: the list stays small on every
     * node. It compares a token's iat with this node's clock and allows {@link dev.gatehouse.keys.SignedTokenLifetimes#NODE_CLOCK_SKEW}
     * ({@link NodeClockCheck} warns at start when this node's clock is further than that from PostgreSQL's).
     */
    public List<TokenRecord> revokeAccountTokens(UUID accountId) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            authorizations.markRevoked("account_id = ?1", accountId, nowMicros());
            revocations.add(broadcast, RevocationList.Kind.ACCOUNT, accountId.toString(), null);
            return revokeWhere("account_id = cast(?1 as uuid)", accountId.toString());
        });
    }

    /** Revokes everything issued to a client (it was deleted), the same way, in the caller's transaction. */
    public List<TokenRecord> revokeClientTokens(String clientId) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            authorizations.markRevoked("client_id = ?1", clientId, nowMicros());
            revocations.add(broadcast, RevocationList.Kind.CLIENT, clientId, null);
            return revokeWhere("client_id = ?1", clientId);
        });
    }

    /**
     * An access token read from its verified JWT, judged against the revocation list: revoked if an entry
     * covers it. No lookup happens.
     *
     * @throws TokenStoreUnavailable when this node has not read the list yet (PostgreSQL was down since it started)
     */
    public TokenRecord judgeAccessToken(TokenRecord fromJwt) {
        // As for cached rows: the list is current as of its last read or the broadcast's last heartbeat; while
        // others may reach PostgreSQL unseen (a partition), it is believed for the cache TTL only.
        long now = System.nanoTime();
        boolean current = now - Math.max(revocations.loadedAtNanos(), broadcast.lastHeardNanos()) <= config.ttl().toNanos();
        if (!revocations.loaded() || !current && !believeWhileUnavailable(revocations.loadedAtNanos(), now)) {
            throw new TokenStoreUnavailable(new IllegalStateException("the revocation list is not current"));
        }
        return revocations.revokedAt(fromJwt).map(fromJwt::revokedAt).orElse(fromJwt);
    }

    /** Revokes every live token whose metadata holds all of {@code match} (e.g. a provider's iss and sub). */
    public List<TokenRecord> revokeMatching(Map<String, String> match) {
        return QuarkusTransaction.requiringNew().call(() -> revokeWhere("metadata @> cast(?1 as jsonb)", JSON.valueToTree(match).toString()));
    }

    private List<TokenRecord> revokeWhere(String condition, String parameter) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            @SuppressWarnings("unchecked")
            List<TokenEntity> tokens = TokenEntity.getEntityManager()
                    .createNativeQuery("select * from token where " + condition + " and revoked_at is null for update",
                            TokenEntity.class)
                    .setParameter(1, parameter)
                    .getResultList();
            Instant at = nowMicros();
            tokens.forEach(entity -> entity.revokedAt = at);
            broadcast.announce(tokens.stream().map(entity -> TokenHash.wrap(entity.secretHash)).toList());
            return tokens.stream().map(TokenEntity::toRecord).toList();
        });
    }

    /**
     * An operator's rate-limit policy for one token (null: its owner's plan decides), on every node once
     * this commits. Empty when there is no such token.
     */
    public Optional<TokenRecord> setRateLimitPolicy(UUID id, String policy) {
        return QuarkusTransaction.requiringNew().call(() -> TokenEntity
                .<TokenEntity>findByIdOptional(id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                .map(entity -> {
                    entity.rateLimitPolicy = policy;
                    broadcast.announce(List.of(TokenHash.wrap(entity.secretHash)));
                    return entity.toRecord();
                }));
    }

    /** One token by id, read fresh. */
    public Optional<TokenRecord> findById(UUID id) {
        return QuarkusTransaction.joiningExisting()
                .call(() -> TokenEntity.<TokenEntity>findByIdOptional(id).map(TokenEntity::toRecord));
    }

    /**
     * Hands an unowned credential (an agent's key) to an account with new scopes, in place: the same
     * secret keeps working, with the new scopes on every node once the caller's transaction commits.
     */
    public TokenRecord claim(UUID id, UUID accountId, List<String> scopes, String label) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            TokenEntity entity = TokenEntity.<TokenEntity>findByIdOptional(id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                    .orElseThrow();
            entity.accountId = accountId;
            entity.scopes = List.copyOf(scopes);
            entity.label = label;
            broadcast.announce(List.of(TokenHash.wrap(entity.secretHash)));
            return entity.toRecord();
        });
    }

    private static Optional<TokenEntity> ownedEntity(UUID accountId, TokenKind kind, UUID id) {
        return TokenEntity.<TokenEntity>find("id = ?1 and accountId = ?2 and kind = ?3", id, accountId, kind)
                .firstResultOptional();
    }

    /**
     * The row, locked until the transaction ends: a change (label, allowlist, claim) made at the same time
     * as a revocation waits for it and sees it, and can never write the old {@code revoked_at} back.
     */
    private static Optional<TokenEntity> ownedEntityForUpdate(UUID accountId, TokenKind kind, UUID id) {
        return TokenEntity.<TokenEntity>find("id = ?1 and accountId = ?2 and kind = ?3", id, accountId, kind)
                .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /**
     * A cache miss: one row by its hash, read with plain JDBC (the hot path of every first use and every
     * re-read; Hibernate's session and entity copies cost more than the query here, docs/benchmarks.md).
     */
    private Optional<TokenRecord> loadByHash(TokenHash tokenHash) {
        databaseLookups.increment();
        try {
            return QuarkusTransaction.joiningExisting().call(() -> {
                try (java.sql.Connection jdbc = dataSource.getConnection();
                        java.sql.PreparedStatement select = jdbc.prepareStatement(SELECT_BY_HASH)) {
                    select.setBytes(1, tokenHash.raw());
                    try (java.sql.ResultSet row = select.executeQuery()) {
                        return row.next() ? Optional.of(record(row)) : Optional.<TokenRecord>empty();
                    }
                }
            });
        } catch (PersistenceException | QuarkusTransactionException | IllegalStateException e) {
            throw new TokenStoreUnavailable(e);
        }
    }

    private static final String SELECT_BY_HASH = "select id, kind, account_id, client_id, secret_hash, display_prefix, preview,"
            + " label, scopes, environment, created_at, expires_at, revoked_at, last_used_at, usage_count, metadata, ip_allowlist,"
            + " replaces, rate_limit_policy, authorization_id, used_at from token where secret_hash = ?";

    private static TokenRecord record(java.sql.ResultSet row) throws java.sql.SQLException {
        String environment = row.getString("environment");
        String metadata = row.getString("metadata");
        return new TokenRecord(row.getObject("id", UUID.class), TokenKind.fromColumn(row.getString("kind")),
                row.getObject("account_id", UUID.class), row.getString("client_id"), row.getBytes("secret_hash"),
                row.getString("display_prefix"), row.getString("preview"), row.getString("label"), texts(row.getArray("scopes")),
                environment == null ? null : Environment.parse(environment).orElseThrow(), instant(row, "created_at"),
                instant(row, "expires_at"), instant(row, "revoked_at"), instant(row, "last_used_at"), row.getLong("usage_count"),
                metadata == null || metadata.equals("{}") ? Map.of() : readMetadata(metadata),
                IpAllowlist.parse(texts(row.getArray("ip_allowlist"))), row.getObject("replaces", UUID.class),
                row.getString("rate_limit_policy"), row.getObject("authorization_id", UUID.class), List.of(), instant(row, "used_at"));
    }

    private static List<String> texts(java.sql.Array array) throws java.sql.SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    private static Instant instant(java.sql.ResultSet row, String column) throws java.sql.SQLException {
        java.sql.Timestamp at = row.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }

    private static Map<String, String> readMetadata(String json) {
        try {
            return JSON.readValue(json, new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {
            });
        } catch (java.io.IOException e) {
            throw new IllegalStateException("token metadata is not a JSON object of strings", e);
        }
    }

    public Instant now() {
        return clock.instant();
    }

    private Instant nowMicros() {
        return now().truncatedTo(ChronoUnit.MICROS);
    }
}
