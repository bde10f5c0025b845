package dev.gatehouse.owner;

import dev.gatehouse.outcome.StoreUnavailable;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The owners of record. An account's owner is created the first time it is needed, so every account has
 * one without a step at sign-up. Lookups on the request path are cached for {@link #FRESH_FOR_NANOS}: an
 * operator's plan change reaches the node that made it at once and every other node within that time.
 * While PostgreSQL is down a cached owner goes on being used, however old, and is asked for again only
 * once per that time.
 */
@ApplicationScoped
public class Owners {
    static final long FRESH_FOR_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final String SELECT = "select id, account_id, plan from owner where ";
    private static final String CREATE = "insert into owner (id, account_id, plan, created_at) values (?, ?, null, ?)"
            + " on conflict (account_id) do nothing";

    private record Cached(Owner owner, long loadedAtNanos) {
    }

    private final AgroalDataSource dataSource;
    private final Clock clock;
    private final Map<UUID, Cached> byAccount = new ConcurrentHashMap<>();

    Owners(AgroalDataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** The owner of a person's account (and so of its keys), created if this is its first use. */
    public Owner ofAccount(UUID accountId) {
        Cached cached = byAccount.get(accountId);
        if (cached != null && System.nanoTime() - cached.loadedAtNanos() < FRESH_FOR_NANOS) {
            return cached.owner();
        }
        try {
            Owner owner = load(accountId);
            byAccount.put(accountId, new Cached(owner, System.nanoTime()));
            return owner;
        } catch (StoreUnavailable e) {
            if (cached != null) {
                // Served as it is until the next try, so that requests do not each wait on a dead database.
                byAccount.put(accountId, new Cached(cached.owner(), System.nanoTime()));
                return cached.owner();
            }
            throw e;
        }
    }

    /** An owner by its id, read fresh. */
    public Optional<Owner> byId(UUID ownerId) {
        return query(SELECT + "id = ?", ownerId);
    }

    /** The owner of the account with this email (stored lower-cased), created if needed; empty if there is no such account. */
    public Optional<Owner> ofAccountEmail(String email) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement find = connection.prepareStatement("select id from account where email = ?")) {
            find.setString(1, email.strip().toLowerCase(java.util.Locale.ROOT));
            try (ResultSet row = find.executeQuery()) {
                return row.next() ? Optional.of(load(row.getObject(1, UUID.class))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw StoreUnavailable.of("the owner store", e);
        }
    }

    /** Puts an owner on a plan (null: the default plan) in the caller's transaction; {@link #forget} it after commit. */
    public void setPlan(Connection connection, UUID ownerId, String plan) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("update owner set plan = ? where id = ?")) {
            update.setString(1, plan);
            update.setObject(2, ownerId);
            update.executeUpdate();
        }
    }

    /** Drops this node's copy of an owner, so its next use reads the change just made. */
    public void forget(UUID ownerId) {
        byAccount.values().removeIf(cached -> cached.owner().id().equals(ownerId));
    }

    private Owner load(UUID accountId) {
        Optional<Owner> found = query(SELECT + "account_id = ?", accountId);
        if (found.isPresent()) {
            return found.get();
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement create = connection.prepareStatement(CREATE)) {
            create.setObject(1, UUID.randomUUID());
            create.setObject(2, accountId);
            create.setObject(3, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
            create.executeUpdate();
        } catch (SQLException e) {
            throw StoreUnavailable.of("the owner store", e);
        }
        // Another node may have created it first: read whichever row won.
        return query(SELECT + "account_id = ?", accountId).orElseThrow();
    }

    private Optional<Owner> query(String sql, UUID id) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setObject(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next()
                        ? Optional.of(new Owner(row.getObject(1, UUID.class), row.getObject(2, UUID.class),
                                Optional.ofNullable(row.getString(3))))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw StoreUnavailable.of("the owner store", e);
        }
    }
}
