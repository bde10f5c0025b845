package dev.gatehouse.usage;

import dev.gatehouse.token.UsageRecorder;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Uses per key and UTC hour, and the last few addresses each key was used from: written inside the
 * batched usage flush (never per request), read by the usage API and the high-usage alert, and deleted
 * once older than the retention.
 */
@ApplicationScoped
public class UsageHistory implements UsageRecorder.Sink {
    private static final Logger LOG = Logger.getLogger(UsageHistory.class);
    /*
     * The inserts select from token, so a use of a token deleted since (its account closed) writes nothing
     * instead of failing the foreign key and, with it, every later flush.
     */
    private static final String HOUR_SQL = """
            insert into token_usage_hour (token_id, hour, uses)
            select id, ?, ? from token where id = ?
            on conflict (token_id, hour) do update set uses = token_usage_hour.uses + excluded.uses
            """;
    private static final String ADDRESS_SQL = """
            insert into token_usage_address (token_id, address, last_seen_at)
            select id, ?::inet, ? from token where id = ?
            on conflict (token_id, address) do update
               set last_seen_at = greatest(token_usage_address.last_seen_at, excluded.last_seen_at)
            """;
    /** Keeps the newest N addresses of each key just written; ties broken by address, the same on every node. */
    private static final String TRIM_SQL = """
            delete from token_usage_address t
             using (select token_id, address,
                           row_number() over (partition by token_id order by last_seen_at desc, address) as rank
                      from token_usage_address where token_id = any(?)) ranked
             where t.token_id = ranked.token_id and t.address = ranked.address and ranked.rank > ?
            """;
    private static final long HOUR_SECONDS = 3600;

    /** Uses of one key in one UTC hour. */
    public record HourCount(Instant hour, long uses) {
    }

    /** An address a key was used from, and when last. */
    public record RecentAddress(String address, Instant lastSeenAt) {
    }

    private final AgroalDataSource dataSource;
    private final UsageHistoryConfig config;
    private final Clock clock;
    private ScheduledExecutorService retention;

    UsageHistory(AgroalDataSource dataSource, UsageHistoryConfig config, Clock clock) {
        this.dataSource = dataSource;
        this.config = config;
        this.clock = clock;
    }

    void start(@Observes StartupEvent event) {
        if (config.recentAddresses() < 1 || config.retention().toHours() < 24) {
            throw new IllegalStateException("gatehouse.usage.history: recent-addresses must be at least 1 and retention at least 24h"
                    + " (the alert's rolling 24 hours are read from it)");
        }
        retention = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("gatehouse-usage-retention").daemon().factory());
        // Hourly, as the rows are hourly; a node that restarts often still prunes soon after it starts.
        retention.scheduleWithFixedDelay(this::pruneQuietly, 1, 60, TimeUnit.MINUTES);
    }

    void stop(@Observes ShutdownEvent event) {
        if (retention != null) {
            retention.shutdown();
        }
    }

    /** The start of the UTC hour {@code instant} falls in. */
    static Instant hourOf(Instant instant) {
        return Instant.ofEpochSecond(Math.floorDiv(instant.getEpochSecond(), HOUR_SECONDS) * HOUR_SECONDS);
    }

    @Override
    public void write(Connection connection, UsageRecorder.Flushed batch) throws SQLException {
        if (!batch.hours().isEmpty()) {
            try (PreparedStatement insert = connection.prepareStatement(HOUR_SQL)) {
                for (UsageRecorder.HourUses use : batch.hours()) {
                    insert.setObject(1, utc(use.hour()));
                    insert.setLong(2, use.uses());
                    insert.setObject(3, use.tokenId());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
        if (!batch.addresses().isEmpty()) {
            List<UUID> touched = new ArrayList<>();
            try (PreparedStatement insert = connection.prepareStatement(ADDRESS_SQL)) {
                for (UsageRecorder.AddressSeen seen : batch.addresses()) {
                    insert.setString(1, withoutZone(seen.address()));
                    insert.setObject(2, utc(seen.lastSeenAt()));
                    insert.setObject(3, seen.tokenId());
                    insert.addBatch();
                    if (touched.isEmpty() || !touched.getLast().equals(seen.tokenId())) {
                        touched.add(seen.tokenId());
                    }
                }
                insert.executeBatch();
            }
            try (PreparedStatement trim = connection.prepareStatement(TRIM_SQL)) {
                trim.setArray(1, connection.createArrayOf("uuid", touched.toArray()));
                trim.setInt(2, config.recentAddresses());
                trim.executeUpdate();
            }
        }
    }

    /** A key's hourly counts from {@code from} (inclusive), oldest first. */
    public List<HourCount> hours(UUID tokenId, Instant from) {
        List<HourCount> hours = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select hour, uses from token_usage_hour where token_id = ? and hour >= ? order by hour")) {
            query.setObject(1, tokenId);
            query.setObject(2, utc(from));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    hours.add(new HourCount(rows.getObject(1, OffsetDateTime.class).toInstant(), rows.getLong(2)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read usage: " + e.getMessage(), e);
        }
        return hours;
    }

    /**
     * Each key's uses per UTC day over the {@code days} days ending with {@code lastDay} (oldest first, a zero
     * for a day without use): the series the key page draws. One query for the whole list.
     */
    public Map<UUID, long[]> dailyUses(List<UUID> tokenIds, LocalDate lastDay, int days) {
        Map<UUID, long[]> series = new HashMap<>();
        tokenIds.forEach(id -> series.put(id, new long[days]));
        if (tokenIds.isEmpty()) {
            return series;
        }
        LocalDate first = lastDay.minusDays(days - 1L);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("""
                        select token_id, (hour at time zone 'UTC')::date as day, sum(uses) from token_usage_hour
                         where token_id = any(?) and hour >= ? group by token_id, day""")) {
            query.setArray(1, connection.createArrayOf("uuid", tokenIds.toArray()));
            query.setObject(2, first.atStartOfDay().atOffset(ZoneOffset.UTC));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    long index = ChronoUnit.DAYS.between(first, rows.getObject(2, LocalDate.class));
                    if (index >= 0 && index < days) {
                        series.get(rows.getObject(1, UUID.class))[(int) index] = rows.getLong(3);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read usage: " + e.getMessage(), e);
        }
        return series;
    }

    /** The newest addresses of each of {@code tokenIds}, newest first; every id is in the answer, if only with none. */
    public Map<UUID, List<RecentAddress>> recentAddresses(List<UUID> tokenIds) {
        Map<UUID, List<RecentAddress>> found = new HashMap<>();
        tokenIds.forEach(id -> found.put(id, new ArrayList<>()));
        if (tokenIds.isEmpty()) {
            return found;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("""
                        select token_id, host(address), last_seen_at from token_usage_address where token_id = any(?)
                         order by token_id, last_seen_at desc, address""")) {
            query.setArray(1, connection.createArrayOf("uuid", tokenIds.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    List<RecentAddress> addresses = found.get(rows.getObject(1, UUID.class));
                    // The flush keeps N per key; a lowered setting shows N at once, before the next flush trims.
                    if (addresses.size() < config.recentAddresses()) {
                        addresses.add(new RecentAddress(rows.getString(2), rows.getObject(3, OffsetDateTime.class).toInstant()));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read usage: " + e.getMessage(), e);
        }
        return found;
    }

    /** A key's newest addresses, newest first. */
    public List<RecentAddress> recentAddresses(UUID tokenId) {
        List<RecentAddress> addresses = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("""
                        select host(address), last_seen_at from token_usage_address where token_id = ?
                         order by last_seen_at desc, address limit ?""")) {
            query.setObject(1, tokenId);
            query.setInt(2, config.recentAddresses());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    addresses.add(new RecentAddress(rows.getString(1), rows.getObject(2, OffsetDateTime.class).toInstant()));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read usage: " + e.getMessage(), e);
        }
        return addresses;
    }

    /**
     * Uses of each of {@code tokenIds} in the 24 hourly buckets ending with the current hour, for those at
     * {@code atLeast} or more and with no alert window open at {@code now} (a busy key in its window costs
     * this one query per flush, not a lock).
     */
    Map<UUID, Long> usesInLast24Hours(Connection connection, Set<UUID> tokenIds, Instant now, long atLeast) throws SQLException {
        Map<UUID, Long> found = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement("""
                select h.token_id, sum(h.uses) from token_usage_hour h
                 where h.token_id = any(?) and h.hour >= ?
                   and not exists (select 1 from usage_alert a where a.token_id = h.token_id and a.window_end > ?)
                 group by h.token_id having sum(h.uses) >= ?""")) {
            Array ids = connection.createArrayOf("uuid", tokenIds.toArray());
            query.setArray(1, ids);
            query.setObject(2, utc(windowStart(now)));
            query.setObject(3, utc(now));
            query.setLong(4, atLeast);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    found.put(rows.getObject(1, UUID.class), rows.getLong(2));
                }
            }
        }
        return found;
    }

    /** The first hourly bucket of the rolling 24 hours: the current UTC hour and the 23 before it. */
    static Instant windowStart(Instant now) {
        return hourOf(now).minusSeconds(23 * HOUR_SECONDS);
    }

    private void pruneQuietly() {
        try {
            prune();
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Usage retention failed, will retry within the hour: %s", e.getMessage());
        }
    }

    /** Deletes hourly counts, addresses and alert records older than the retention. */
    void prune() throws SQLException {
        OffsetDateTime cutoff = utc(clock.instant().minus(config.retention()));
        int deleted = 0;
        try (Connection connection = dataSource.getConnection()) {
            for (String sql : List.of("delete from token_usage_hour where hour < ?",
                    "delete from token_usage_address where last_seen_at < ?",
                    "delete from usage_alert where window_end < ? and next_attempt_at is null")) {
                try (PreparedStatement delete = connection.prepareStatement(sql)) {
                    delete.setObject(1, cutoff);
                    deleted += delete.executeUpdate();
                }
            }
        }
        LOG.debugf("Usage retention deleted %d rows older than %s", deleted, cutoff);
    }

    static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** inet takes no IPv6 zone (fe80::1%eth0); the address without it is still the one shown. */
    private static String withoutZone(String address) {
        int zone = address.indexOf('%');
        return zone < 0 ? address : address.substring(0, zone);
    }
}
