package dev.gatehouse.token;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import dev.gatehouse.db.Sql;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Authorizations in PostgreSQL (table {@code oauth_authorization}), beside the tokens issued under them.
 * Issuing under an authorization holds a share lock on its row ({@link #lockLive}); revoking it
 * ({@link TokenStore#revokeAuthorization}) takes the row lock, so it either waits for an issuance in
 * flight and then revokes what that issued, or makes it fail.
 */
@ApplicationScoped
public class AuthorizationStore {
    private static final String COLUMNS = "id, client_id, account_id, grant_type, scopes, audience, redirect_uri, "
            + "redirect_uri_given, code_challenge, nonce, auth_time, created_at, expires_at, revoked_at";

    private final Sql sql;

    AuthorizationStore(Sql sql) {
        this.sql = sql;
    }

    /** Stores a new authorization; joins the caller's transaction. */
    public Authorization store(Authorization authorization) {
        QuarkusTransaction.joiningExisting().run(() -> sql.withConnection(jdbc -> {
            insert(jdbc, authorization);
            return null;
        }));
        return authorization;
    }

    private static void insert(Connection jdbc, Authorization a) throws SQLException {
        try (PreparedStatement insert = jdbc.prepareStatement("insert into oauth_authorization (" + COLUMNS
                + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, a.id());
            insert.setString(2, a.clientId());
            insert.setObject(3, a.accountId());
            insert.setString(4, a.grantType().column());
            insert.setArray(5, jdbc.createArrayOf("text", a.scopes().toArray()));
            insert.setArray(6, jdbc.createArrayOf("text", a.audience().toArray()));
            Authorization.CodeBinding code = a.code();
            insert.setString(7, code == null ? null : code.redirectUri());
            if (code == null) {
                insert.setNull(8, Types.BOOLEAN);
            } else {
                insert.setBoolean(8, code.redirectUriGiven());
            }
            insert.setString(9, code == null ? null : code.codeChallenge());
            insert.setString(10, code == null ? null : code.nonce());
            insert.setTimestamp(11, Sql.timestamp(a.authTime()));
            insert.setTimestamp(12, Sql.timestamp(a.createdAt()));
            insert.setTimestamp(13, Sql.timestamp(a.expiresAt()));
            insert.setTimestamp(14, Sql.timestamp(a.revokedAt()));
            insert.executeUpdate();
        }
    }

    /**
     * The authorization, if it is neither revoked nor past its absolute expiry at {@code now} and its
     * account is not disabled, holding share locks on its row and its account's until the caller's
     * transaction ends: a revocation, or an account being disabled, waits for the issuance and then
     * revokes what it issued. The account is locked first (the sub-select runs before the outer lock), in
     * the order disabling takes them, so the two never deadlock.
     */
    public Optional<Authorization> lockLive(UUID id, Instant now) {
        return QuarkusTransaction.joiningExisting().call(() -> sql.withConnection(jdbc -> {
            try (PreparedStatement select = jdbc.prepareStatement("select " + COLUMNS
                    + " from oauth_authorization a where a.id = ? and a.revoked_at is null and a.expires_at > ?"
                    + " and a.account_id = (select id from account where id = a.account_id and disabled_at is null for share)"
                    + " for share of a")) {
                select.setObject(1, id);
                select.setTimestamp(2, Timestamp.from(now));
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.of(read(row)) : Optional.<Authorization>empty();
                }
            }
        }));
    }

    /**
     * Whether the person's consent to this client stands: an authorization of theirs for it is not revoked.
     * Revoking an app (from /account/apps, or on a replayed code or refresh token) withdraws the consent too,
     * so the next request asks again.
     */
    public boolean approvedBefore(String clientId, UUID accountId, Instant now) {
        return sql.one("select 1 from oauth_authorization where client_id = ? and account_id = ? and revoked_at is null"
                + " and expires_at > ? limit 1", row -> true, clientId, accountId, now).isPresent();
    }

    /** What a person authorised one client to do, over its live authorizations. */
    public record ClientGrant(String clientId, List<UUID> authorizationIds, List<String> scopes, Instant firstAuthorizedAt,
            Instant lastUsedAt) {
    }

    /**
     * The clients a person has live authorizations for, most recently used first; last use is the newest token
     * issued under them (a code or a refresh), access tokens being JWTs that no row records.
     */
    public List<ClientGrant> liveByClient(UUID accountId, Instant now) {
        record Live(String clientId, UUID id, List<String> scopes, Instant createdAt, Instant lastIssued) {
        }
        List<Live> live = sql.list("""
                select a.client_id, a.id, a.scopes, a.created_at, (select max(created_at) from token where authorization_id = a.id) as last_issued
                  from oauth_authorization a
                 where a.account_id = ? and a.revoked_at is null and a.expires_at > ?""", row -> new Live(row.getString("client_id"),
                row.getObject("id", UUID.class), Sql.texts(row, "scopes"), Sql.instant(row, "created_at"), Sql.instant(row, "last_issued")),
                accountId, now);
        java.util.Map<String, List<Live>> byClient = live.stream().collect(java.util.stream.Collectors.groupingBy(Live::clientId));
        return byClient.entrySet().stream().map(client -> {
            List<Live> grants = client.getValue();
            return new ClientGrant(client.getKey(), grants.stream().map(Live::id).toList(),
                    grants.stream().flatMap(grant -> grant.scopes().stream()).distinct().sorted().toList(),
                    grants.stream().map(Live::createdAt).min(Instant::compareTo).orElseThrow(),
                    grants.stream().map(grant -> grant.lastIssued() == null || grant.lastIssued().isBefore(grant.createdAt())
                            ? grant.createdAt() : grant.lastIssued()).max(Instant::compareTo).orElseThrow());
        }).sorted(java.util.Comparator.comparing(ClientGrant::lastUsedAt).reversed()).toList();
    }

    /** Marks authorizations revoked, in the caller's transaction; {@code condition} names them with one ?. */
    int markRevoked(String condition, Object parameter, Instant at) {
        return sql.update("update oauth_authorization set revoked_at = ? where " + condition + " and revoked_at is null", at, parameter);
    }

    private static Authorization read(ResultSet row) throws SQLException {
        String redirectUri = row.getString("redirect_uri");
        Authorization.CodeBinding code = redirectUri == null ? null : new Authorization.CodeBinding(redirectUri,
                row.getBoolean("redirect_uri_given"), row.getString("code_challenge"), row.getString("nonce"));
        return new Authorization(row.getObject("id", UUID.class), row.getString("client_id"), row.getObject("account_id", UUID.class),
                ColumnValue.fromColumn(Authorization.GrantType.class, row.getString("grant_type")), Sql.texts(row, "scopes"),
                Sql.texts(row, "audience"), code, Sql.instant(row, "auth_time"),
                Sql.instant(row, "created_at"), Sql.instant(row, "expires_at"),
                Sql.instant(row, "revoked_at"));
    }
}
