package dev.gatehouse.token;

import dev.gatehouse.db.Sql;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.narayana.jta.QuarkusTransactionException;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
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

    private final Sql sql;

    TokenStore(RevocationBroadcast broadcast, UsageRecorder usage, TokenStoreConfig config, MeterRegistry meters, Clock clock,
            RevocationList revocations, AuthorizationStore authorizations, io.agroal.api.AgroalDataSource dataSource, Sql sql) {
        this.dataSource = dataSource;
        this.sql = sql;
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
        TokenRecord token = newRecord(plaintext, spec, null);
        QuarkusTransaction.joiningExisting().run(() -> insert(token));
        if (!token.kind().singleUse()) {
            cache.put(token);
        }
        return token;
    }

    private void insert(TokenRecord token) {
        sql.update("insert into token (id, kind, account_id, client_id, secret_hash, display_prefix, preview, label, scopes, environment,"
                + " created_at, expires_at, ip_allowlist, authorization_id, replaces)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                token.id(), token.kind().column(), token.accountId(), token.clientId(), token.secretHash(), token.displayPrefix(),
                token.preview(), token.label(), token.scopes(), token.environment() == null ? null : token.environment().value(),
                token.createdAt(), token.expiresAt(), token.ipAllowlist().cidrs(),
                token.authorizationId(), token.replaces());
    }

    private TokenRecord newRecord(String plaintext, NewToken spec, UUID replaces) {
        // PostgreSQL keeps microseconds; truncate so the cached copy equals what a reload returns.
        return new TokenRecord(UUID.randomUUID(), spec.kind(), spec.accountId(), spec.clientId(), TokenHash.of(plaintext).bytes(),
                spec.displayPrefix(), spec.preview(), spec.label(), List.copyOf(spec.scopes()), spec.environment(), nowMicros(),
                spec.expiresAt() == null ? null : spec.expiresAt().truncatedTo(ChronoUnit.MICROS), null, null, 0,
                spec.ipAllowlist(), replaces, null, spec.authorizationId(), List.of(), null);
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
        return sql.list(SELECT + " where account_id = ? and kind = ? order by created_at desc", TokenStore::record, accountId, kind.column());
    }

    /** One token of an account's, read fresh; empty when it belongs to someone else. */
    public Optional<TokenRecord> findOwned(UUID accountId, TokenKind kind, UUID id) {
        return sql.one(SELECT + " where id = ? and account_id = ? and kind = ?", TokenStore::record, id, accountId, kind.column());
    }

    /** The key that succeeded this one in a roll, if any. */
    public Optional<UUID> successorOf(UUID id) {
        return sql.list("select id from token where replaces = ?", row -> row.getObject(1, UUID.class), id).stream().findFirst();
    }

    /** What an owner may change on a stored token; a null field stays as it is. */
    public record Amendment(String label, IpAllowlist ipAllowlist) {
    }

    /** Changes an owned token's label and/or IP allowlist, on every node. Empty when not found. */
    public Optional<TokenRecord> amendOwned(UUID accountId, TokenKind kind, UUID id, Amendment amendment) {
        return changeOwned("label = coalesce(?, label), ip_allowlist = coalesce(?, ip_allowlist)", accountId, kind, id,
                amendment.label(), amendment.ipAllowlist() == null ? null : amendment.ipAllowlist().cidrs());
    }

    /**
     * Revokes at once on every node: the row is marked and the change announced in one transaction.
     * Empty when not found; revoking a revoked token keeps its first revocation time.
     */
    public Optional<TokenRecord> revokeOwned(UUID accountId, TokenKind kind, UUID id) {
        // Its own transaction: a revocation holds even if the caller's work fails afterwards.
        return QuarkusTransaction.requiringNew().call(() -> changeOwned("revoked_at = coalesce(revoked_at, ?)", accountId, kind, id,
                nowMicros()));
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
            Optional<TokenRecord> found = sql.one(SELECT + " where id = ? and account_id = ? and kind = ? for update", TokenStore::record,
                    id, accountId, kind.column());
            if (found.isEmpty()) {
                return Optional.<Rolled>empty();
            }
            TokenRecord before = found.get();
            if (!before.isActiveAt(now())) {
                throw new IllegalStateException("This key is revoked or expired: there is nothing to roll");
            }
            if (successorOf(id).isPresent()) {
                throw new IllegalStateException("This key was rolled already: roll its successor instead");
            }
            NewToken copy = NewToken.of(before.kind(), before.accountId())
                    .withClient(before.clientId())
                    .withDisplay(displayPrefix, preview)
                    .withLabel(before.label())
                    .withScopes(before.scopes())
                    .withEnvironment(before.environment())
                    .expiringAt(before.expiresAt())
                    .withIpAllowlist(before.ipAllowlist());
            TokenRecord successor = newRecord(successorPlaintext, copy, before.id());
            insert(successor);
            Instant stops = oldStopsAt.truncatedTo(ChronoUnit.MICROS);
            TokenRecord after = before;
            if (!stops.isAfter(now())) {
                after = sql.one("update token set revoked_at = ? where id = ? returning " + COLUMNS, TokenStore::record, nowMicros(), id)
                        .orElseThrow();
            } else if (before.expiresAt() == null || stops.isBefore(before.expiresAt())) {
                after = sql.one("update token set expires_at = ? where id = ? returning " + COLUMNS, TokenStore::record, stops, id)
                        .orElseThrow();
            }
            broadcast.announce(List.of(TokenHash.wrap(before.secretHash())));
            return Optional.of(new Rolled(successor, after));
        });
    }

    /** Changes an owned row ({@code assignments}, with their parameters) and announces it, in one statement and transaction. */
    private Optional<TokenRecord> changeOwned(String assignments, UUID accountId, TokenKind kind, UUID id, Object... values) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            Object[] parameters = java.util.stream.Stream.concat(java.util.Arrays.stream(values), java.util.stream.Stream.of(id, accountId,
                    kind.column())).toArray();
            Optional<TokenRecord> changed = sql.one("update token set " + assignments + " where id = ? and account_id = ? and kind = ?"
                    + " returning " + COLUMNS, TokenStore::record, parameters);
            changed.ifPresent(token -> broadcast.announce(List.of(TokenHash.wrap(token.secretHash()))));
            return changed;
        });
    }

    /** Revokes the token presented, e.g. a session at sign-out. */
    public void revoke(String presented) {
        TokenHash hash = TokenHash.of(presented);
        QuarkusTransaction.requiringNew().run(() -> {
            sql.update("update token set revoked_at = ? where secret_hash = ? and revoked_at is null", nowMicros(), hash.bytes());
            broadcast.announce(List.of(hash));
        });
    }

    /** Revokes one token, whoever owns it (revocation endpoint, RFC 7009; leaked-key reports). */
    public void revoke(TokenRecord token) {
        // Its own transaction: a revocation holds even if the caller's work fails afterwards.
        QuarkusTransaction.requiringNew().run(() -> {
            sql.update("update token set revoked_at = ? where id = ? and revoked_at is null", nowMicros(), token.id());
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
            Instant at = nowMicros();
            int updated = sql.update("update token set revoked_at = ?, used_at = ? where id = ? and revoked_at is null", at, at, token.id());
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
            authorizations.markRevoked("id = ?", authorizationId, nowMicros());
            revocations.add(broadcast, RevocationList.Kind.AUTHORIZATION, authorizationId.toString(), null);
            return revokeWhere("authorization_id = ?", authorizationId);
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
            authorizations.markRevoked("account_id = ?", accountId, nowMicros());
            revocations.add(broadcast, RevocationList.Kind.ACCOUNT, accountId.toString(), null);
            return revokeWhere("account_id = ?", accountId);
        });
    }

    /** Revokes everything issued to a client (it was deleted), the same way, in the caller's transaction. */
    public List<TokenRecord> revokeClientTokens(String clientId) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            authorizations.markRevoked("client_id = ?", clientId, nowMicros());
            revocations.add(broadcast, RevocationList.Kind.CLIENT, clientId, null);
            return revokeWhere("client_id = ?", clientId);
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

    /** Revokes the live tokens among {@code ids}, on every node, in a transaction of its own. */
    public List<TokenRecord> revokeAll(java.util.Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return QuarkusTransaction.requiringNew().call(() -> revokeWhere("id = any(cast(? as uuid[]))",
                ids.stream().map(UUID::toString).toList()));
    }

    /**
     * Revokes an account's live tokens of one kind but {@code keep} (null: all of them), in the caller's
     * transaction: a password change ends the person's other sessions, a reset all of them and any other
     * reset link.
     */
    public List<TokenRecord> revokeOwnedExcept(UUID accountId, TokenKind kind, UUID keep) {
        return revokeWhere("account_id = ? and kind = ? and id is distinct from cast(? as uuid)", accountId, kind.column(), keep);
    }

    private List<TokenRecord> revokeWhere(String condition, Object... parameters) {
        Object[] bound = new Object[parameters.length + 1];
        bound[0] = nowMicros();
        System.arraycopy(parameters, 0, bound, 1, parameters.length);
        return QuarkusTransaction.joiningExisting().call(() -> {
            List<TokenRecord> tokens = sql.list("update token set revoked_at = ? where " + condition + " and revoked_at is null returning "
                    + COLUMNS, TokenStore::record, bound);
            broadcast.announce(tokens.stream().map(token -> TokenHash.wrap(token.secretHash())).toList());
            return tokens;
        });
    }

    /**
     * An operator's rate-limit policy for one token (null: its owner's plan decides), on every node once
     * this commits. Empty when there is no such token.
     */
    public Optional<TokenRecord> setRateLimitPolicy(UUID id, String policy) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Optional<TokenRecord> changed = sql.one("update token set rate_limit_policy = ? where id = ? returning " + COLUMNS,
                    TokenStore::record, policy, id);
            changed.ifPresent(token -> broadcast.announce(List.of(TokenHash.wrap(token.secretHash()))));
            return changed;
        });
    }

    /** One token by id, read fresh. */
    public Optional<TokenRecord> findById(UUID id) {
        return sql.one(SELECT + " where id = ?", TokenStore::record, id);
    }

    /**
     * Hands an unowned credential (an agent's key) to an account with new scopes, in place: the same
     * secret keeps working, with the new scopes on every node once the caller's transaction commits.
     */
    public TokenRecord claim(UUID id, UUID accountId, List<String> scopes, String label) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            TokenRecord token = sql.one("update token set account_id = ?, scopes = ?, label = ? where id = ? returning " + COLUMNS,
                    TokenStore::record, accountId, List.copyOf(scopes), label, id).orElseThrow();
            broadcast.announce(List.of(TokenHash.wrap(token.secretHash())));
            return token;
        });
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
        } catch (dev.gatehouse.outcome.StoreUnavailable | QuarkusTransactionException | IllegalStateException e) {
            throw new TokenStoreUnavailable(e);
        }
    }

    private static final String COLUMNS = "id, kind, account_id, client_id, secret_hash, display_prefix, preview,"
            + " label, scopes, environment, created_at, expires_at, revoked_at, last_used_at, usage_count, ip_allowlist,"
            + " replaces, rate_limit_policy, authorization_id, used_at";
    private static final String SELECT = "select " + COLUMNS + " from token";
    private static final String SELECT_BY_HASH = SELECT + " where secret_hash = ?";

    private static TokenRecord record(java.sql.ResultSet row) throws java.sql.SQLException {
        String environment = row.getString("environment");
        return new TokenRecord(row.getObject("id", UUID.class), TokenKind.fromColumn(row.getString("kind")),
                row.getObject("account_id", UUID.class), row.getString("client_id"), row.getBytes("secret_hash"),
                row.getString("display_prefix"), row.getString("preview"), row.getString("label"), Sql.texts(row, "scopes"),
                environment == null ? null : Environment.parse(environment).orElseThrow(), Sql.instant(row, "created_at"),
                Sql.instant(row, "expires_at"), Sql.instant(row, "revoked_at"), Sql.instant(row, "last_used_at"), row.getLong("usage_count"),
                IpAllowlist.parse(Sql.texts(row, "ip_allowlist")), row.getObject("replaces", UUID.class),
                row.getString("rate_limit_policy"), row.getObject("authorization_id", UUID.class), List.of(), Sql.instant(row, "used_at"));
    }

    public Instant now() {
        return clock.instant();
    }

    private Instant nowMicros() {
        return now().truncatedTo(ChronoUnit.MICROS);
    }
}
