package dev.gatehouse.token;

import dev.gatehouse.keys.SignedTokenLifetimes;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import dev.gatehouse.db.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * What revokes access tokens, which no row records (they are JWTs): an authorization (a grant, a refresh
 * family), one token's {@code jti}, or everything issued to a client or for an account up to a moment.
 * The list is kept in PostgreSQL (table {@code revocation}) and held in memory on every node: a new entry
 * is written in the transaction that revokes, announced through the {@link RevocationBroadcast} with it,
 * and applied here as that transaction commits (this node) or as the notification arrives (the others).
 * Deciding whether a JWT is revoked is then four map reads, with no lookup per token.
 *
 * <p>An entry is kept only while a token it covers may still be valid ({@code keep_until}). The list is
 * read whole at start, every time the broadcast listens again (it may have missed entries), and while the
 * broadcast is not trusted, at most every {@code degraded-cache-ttl}. Reads only ever add: an entry
 * announced while a read is under way cannot be lost to it.
 */
@ApplicationScoped
public class RevocationList {
    private static final Logger LOG = Logger.getLogger(RevocationList.class);
    static final String PREFIX = "revocation:";

    /** What an entry revokes. Stored as the lower-case names the schema checks. */
    public enum Kind implements ColumnValue {
        AUTHORIZATION("authorization"),
        ACCESS_TOKEN("access_token"),
        CLIENT("client"),
        ACCOUNT("account");

        private final String column;

        Kind(String column) {
            this.column = column;
        }

        @Override
        public String column() {
            return column;
        }
    }

    /** One entry: {@code subject} revoked at {@code revokedAt}, kept until {@code keepUntil}. */
    record Entry(Kind kind, String subject, Instant revokedAt, Instant keepUntil) {
        /** The notification payload; the subject goes last, as a client_id may hold any character. */
        String payload() {
            return PREFIX + kind.column() + ":" + revokedAt.toEpochMilli() + ":" + keepUntil.toEpochMilli() + ":" + subject;
        }

        static Entry parse(String payload) {
            String[] parts = payload.substring(PREFIX.length()).split(":", 4);
            return new Entry(ColumnValue.fromColumn(Kind.class, parts[0]), parts[3], Instant.ofEpochMilli(Long.parseLong(parts[1])),
                    Instant.ofEpochMilli(Long.parseLong(parts[2])));
        }
    }

    private final Map<Kind, Map<String, Entry>> entries = Map.of(
            Kind.AUTHORIZATION, new ConcurrentHashMap<>(), Kind.ACCESS_TOKEN, new ConcurrentHashMap<>(),
            Kind.CLIENT, new ConcurrentHashMap<>(), Kind.ACCOUNT, new ConcurrentHashMap<>());
    private final Sql sql;
    private final AgroalDataSource dataSource;
    private final SignedTokenLifetimes lifetimes;
    private final Clock clock;
    private volatile boolean loaded;
    /** When the list was last read whole (System.nanoTime). */
    private volatile long loadedAtNanos;

    RevocationList(Sql sql, AgroalDataSource dataSource, SignedTokenLifetimes lifetimes, Clock clock,
            MeterRegistry meters) {
        this.sql = sql;
        this.dataSource = dataSource;
        this.lifetimes = lifetimes;
        this.clock = clock;
        Gauge.builder("gatehouse.revocation.list.entries", this, list -> list.size())
                .description("Entries of the revocation list (authorizations, access tokens, clients, accounts) this node holds")
                .register(meters);
    }

    /**
     * The moment {@code accessToken} was revoked, if an entry covers it: its {@code jti}, its authorization,
     * or its client's or account's revocation of everything issued up to then. That last one compares the
     * token's {@code iat}, from the clock of the node that signed it, with the revoking node's moment: it
     * covers {@link SignedTokenLifetimes#NODE_CLOCK_SKEW} more, so a token signed just before on a node whose
     * clock runs ahead is still covered. (So a token issued within that minute after the revocation, to a
     * client made again under the same id or an account enabled again, is refused too, until it expires.)
     */
    public Optional<Instant> revokedAt(TokenRecord accessToken) {
        Entry entry = entries.get(Kind.ACCESS_TOKEN).get(accessToken.id().toString());
        if (entry == null && accessToken.authorizationId() != null) {
            entry = entries.get(Kind.AUTHORIZATION).get(accessToken.authorizationId().toString());
        }
        if (entry == null && accessToken.clientId() != null) {
            entry = covering(entries.get(Kind.CLIENT).get(accessToken.clientId()), accessToken);
        }
        if (entry == null && accessToken.accountId() != null) {
            entry = covering(entries.get(Kind.ACCOUNT).get(accessToken.accountId().toString()), accessToken);
        }
        return entry == null ? Optional.empty() : Optional.of(entry.revokedAt());
    }

    private static Entry covering(Entry everythingUpTo, TokenRecord token) {
        return everythingUpTo != null && !token.createdAt().isAfter(everythingUpTo.revokedAt().plus(SignedTokenLifetimes.NODE_CLOCK_SKEW))
                ? everythingUpTo : null;
    }

    /** Whether the list was read at least once: before that, no JWT can be judged. */
    public boolean loaded() {
        return loaded;
    }

    /**
     * Adds an entry in the caller's transaction and announces it with it. {@code keepUntil} null: as long
     * as any access token issued until now may live.
     */
    void add(RevocationBroadcast broadcast, Kind kind, String subject, Instant keepUntil) {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        Entry entry = new Entry(kind, subject, now, keepUntil != null ? keepUntil : now.plus(lifetimes.longest()).plus(SignedTokenLifetimes.NODE_CLOCK_SKEW));
        sql.update("insert into revocation (kind, subject, revoked_at, keep_until) values (?, ?, ?, ?)", kind.column(), subject,
                entry.revokedAt(), entry.keepUntil());
        broadcast.announce(entry.payload());
    }

    /** Applies an announced entry (this node's after its commit, another's as it arrives). */
    void apply(String payload) {
        try {
            apply(Entry.parse(payload));
        } catch (RuntimeException e) {
            LOG.warn("Revocation list: ignored a malformed notification");
        }
    }

    private void apply(Entry entry) {
        // Of two entries for one client or account, the later one covers more.
        entries.get(entry.kind()).merge(entry.subject(), entry,
                (kept, added) -> kept.revokedAt().isAfter(added.revokedAt()) ? kept : added);
    }

    /** Reads every entry still in force and adds it (never removes: see the class comment). */
    void load() throws SQLException {
        Instant now = clock.instant();
        try (Connection jdbc = dataSource.getConnection();
                PreparedStatement select = jdbc.prepareStatement(
                        "select kind, subject, revoked_at, keep_until from revocation where keep_until > ?")) {
            select.setTimestamp(1, Timestamp.from(now));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    apply(new Entry(ColumnValue.fromColumn(Kind.class, rows.getString(1)), rows.getString(2), rows.getTimestamp(3).toInstant(),
                            rows.getTimestamp(4).toInstant()));
                }
            }
        }
        loaded = true;
        loadedAtNanos = System.nanoTime();
        forgetPast(now);
    }

    /** When the list was last read whole from PostgreSQL (System.nanoTime). */
    long loadedAtNanos() {
        return loadedAtNanos;
    }

    /** Drops what no longer covers a valid token. */
    void forgetPast(Instant now) {
        entries.values().forEach(kind -> kind.values().removeIf(entry -> entry.keepUntil().isBefore(now)));
    }

    int size() {
        return entries.values().stream().mapToInt(Map::size).sum();
    }
}
