package dev.gatehouse.upstream;

import dev.gatehouse.db.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The identities at upstream providers linked to accounts (table {@code upstream_identity}). */
@ApplicationScoped
public class UpstreamIdentities {
    /** One linked identity. */
    public record Linked(UUID id, String provider, String issuer, String subject, UUID accountId, String email, Instant linkedAt,
            Instant lastUsedAt) {
    }

    private static final String COLUMNS = "id, provider, issuer, subject, account_id, email, linked_at, last_used_at";

    private final Sql sql;

    UpstreamIdentities(Sql sql) {
        this.sql = sql;
    }

    public Optional<Linked> find(String issuer, String subject) {
        return sql.one("select " + COLUMNS + " from upstream_identity where issuer = ? and subject = ?", UpstreamIdentities::read,
                issuer, subject);
    }

    /** A person's linked identities, oldest first. */
    public List<Linked> of(UUID accountId) {
        return sql.list("select " + COLUMNS + " from upstream_identity where account_id = ? order by linked_at", UpstreamIdentities::read,
                accountId);
    }

    /** Links, in the caller's transaction; an identity linked already (to anyone) stays as it is: false. */
    boolean link(String provider, String issuer, String subject, UUID accountId, String email, Instant at) {
        return sql.update("insert into upstream_identity (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing",
                UUID.randomUUID(), provider, issuer, subject, accountId, email, at, at) == 1;
    }

    void used(UUID id, Instant at) {
        sql.update("update upstream_identity set last_used_at = ? where id = ?", at, id);
    }

    /** Unlinks one of the person's identities; false when it is not theirs. */
    boolean unlink(UUID accountId, UUID id) {
        return sql.update("delete from upstream_identity where id = ? and account_id = ?", id, accountId) == 1;
    }

    /** Unlinks every identity of an account, in the caller's transaction; how many. */
    int unlinkAll(UUID accountId) {
        return sql.update("delete from upstream_identity where account_id = ?", accountId);
    }

    private static Linked read(java.sql.ResultSet row) throws java.sql.SQLException {
        return new Linked(row.getObject("id", UUID.class), row.getString("provider"), row.getString("issuer"), row.getString("subject"),
                row.getObject("account_id", UUID.class), row.getString("email"), Sql.instant(row, "linked_at"),
                Sql.instant(row, "last_used_at"));
    }
}
