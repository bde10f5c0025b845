package dev.gatehouse.token;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * Keeps {@code last_used_at} and {@code usage_count} without a database write per request: uses are
 * counted in memory and written in one batch every flush interval. Each node adds its own counts, so
 * several nodes never overwrite each other.
 *
 * <p>The same batch carries uses per UTC hour and the addresses a key was used from; {@link Sink}s
 * (the usage feature) write those in the same transaction and look at the result once it is committed,
 * so this package knows nothing of usage history or alerts.
 */
@ApplicationScoped
public class UsageRecorder {
    private static final Logger LOG = Logger.getLogger(UsageRecorder.class);
    private static final long HOUR_MILLIS = 3_600_000L;
    /**
     * Distinct addresses kept per key between two flushes. Only the newest few are stored anyway; the cap
     * keeps a key used from a botnet from growing the map without bound (later addresses wait for the next flush).
     */
    private static final int MAX_ADDRESSES_PER_FLUSH = 64;
    private static final String FLUSH_SQL = """
            update token
               set usage_count = usage_count + ?,
                   last_used_at = greatest(coalesce(last_used_at, ?), ?)
             where id = ?
            """;

    /** Uses of one token in one UTC hour, since the last flush. */
    public record HourUses(UUID tokenId, Instant hour, long uses) {
    }

    /** An address one token was used from, and when last. */
    public record AddressSeen(UUID tokenId, String address, Instant lastSeenAt) {
    }

    /** What one flush wrote. Lists are sorted by token, so every node locks rows in the same order. */
    public record Flushed(Set<UUID> tokenIds, List<HourUses> hours, List<AddressSeen> addresses) {
    }

    /** Gets each batch: {@link #write} inside the flush's transaction, {@link #flushed} after it committed. */
    public interface Sink {
        /** Writes with {@code connection}; an exception rolls the whole batch back, to be tried again. */
        default void write(Connection connection, Flushed batch) throws SQLException {
        }

        /** Called on the flush thread once the batch is committed; must not throw. */
        default void flushed(Flushed batch) {
        }
    }

    private final Map<UUID, Pending> pending = new ConcurrentHashMap<>();
    private final AgroalDataSource dataSource;
    private final UsageConfig config;
    private final Clock clock;
    private final Instance<Sink> sinks;
    private ScheduledExecutorService scheduler;

    /** How exact last-used times are: a second is plenty for "last used" and "last seen from". */
    private static final long TIME_PRECISION_MILLIS = 1000;

    private static final class Pending {
        final LongAdder uses = new LongAdder();
        final AtomicLong lastUsedMillis = new AtomicLong();
        /** Uses per epoch hour; a request only ever adds to its own hour's counter. */
        final Map<Long, LongAdder> hours = new ConcurrentHashMap<>(4);
        /** Address (canonical text) → last seen, epoch millis. */
        final Map<String, Long> addresses = new ConcurrentHashMap<>(4);
    }

    private record Batch(UUID tokenId, long uses, long lastUsedMillis) {
    }

    UsageRecorder(AgroalDataSource dataSource, UsageConfig config, Clock clock, Instance<Sink> sinks) {
        this.dataSource = dataSource;
        this.config = config;
        this.clock = clock;
        this.sinks = sinks;
    }

    void start(@Observes StartupEvent event) {
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gatehouse-usage-flush");
            thread.setDaemon(true);
            return thread;
        });
        long every = config.flushInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::flushQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdown();
        }
        flushQuietly();
    }

    public void record(UUID tokenId) {
        record(tokenId, null);
    }

    /**
     * Counts one use from {@code address} (canonical text, or null when unknown). Time comes from the
     * injected clock, so tests move it instead of sleeping.
     */
    public void record(UUID tokenId, String address) {
        long now = clock.millis();
        Pending entry = pending.computeIfAbsent(tokenId, id -> new Pending());
        entry.uses.increment();
        // Times are kept to the second: a busy key's requests then read a shared value instead of all
        // writing it, which on every core at once would serialise them.
        if (now - entry.lastUsedMillis.get() >= TIME_PRECISION_MILLIS) {
            entry.lastUsedMillis.accumulateAndGet(now, Math::max);
        }
        entry.hours.computeIfAbsent(now / HOUR_MILLIS, hour -> new LongAdder()).increment();
        if (address != null) {
            Long seen = entry.addresses.get(address);
            if (seen == null ? entry.addresses.size() < MAX_ADDRESSES_PER_FLUSH : now - seen >= TIME_PRECISION_MILLIS) {
                entry.addresses.merge(address, now, Math::max);
            }
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException | SQLException e) {
            LOG.warnf("Usage flush failed, will retry: %s", e.getMessage());
        }
    }

    /** Writes what was counted since the last flush; on failure the counts are kept for the next one. */
    synchronized void flush() throws SQLException {
        List<HourUses> hours = new ArrayList<>();
        List<AddressSeen> addresses = new ArrayList<>();
        List<Batch> batch = drain(hours, addresses);
        if (batch.isEmpty()) {
            return;
        }
        batch.sort(Comparator.comparing(Batch::tokenId));
        hours.sort(Comparator.comparing(HourUses::tokenId).thenComparing(HourUses::hour));
        addresses.sort(Comparator.comparing(AddressSeen::tokenId).thenComparing(AddressSeen::address));
        Set<UUID> tokenIds = new LinkedHashSet<>();
        batch.forEach(use -> tokenIds.add(use.tokenId()));
        Flushed flushed = new Flushed(Set.copyOf(tokenIds), List.copyOf(hours), List.copyOf(addresses));
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (PreparedStatement update = connection.prepareStatement(FLUSH_SQL)) {
                for (Batch use : batch) {
                    Timestamp lastUsed = new Timestamp(use.lastUsedMillis());
                    update.setLong(1, use.uses());
                    update.setTimestamp(2, lastUsed);
                    update.setTimestamp(3, lastUsed);
                    update.setObject(4, use.tokenId());
                    update.addBatch();
                }
                update.executeBatch();
                for (Sink sink : sinks) {
                    sink.write(connection, flushed);
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException | RuntimeException e) {
            batch.forEach(this::restore);
            hours.forEach(this::restore);
            addresses.forEach(this::restore);
            throw e;
        }
        LOG.debugf("Usage flushed for %d tokens", batch.size());
        for (Sink sink : sinks) {
            try {
                sink.flushed(flushed);
            } catch (RuntimeException e) {
                // Counts are written; whatever looks at them afterwards must not make them count twice.
                LOG.warnf("After the usage flush: %s", e.getClass().getName());
            }
        }
    }

    private List<Batch> drain(List<HourUses> hours, List<AddressSeen> addresses) {
        List<Batch> batch = new ArrayList<>();
        long currentHour = clock.millis() / HOUR_MILLIS;
        pending.forEach((tokenId, entry) -> {
            long uses = entry.uses.sumThenReset();
            if (uses > 0) {
                batch.add(new Batch(tokenId, uses, entry.lastUsedMillis.get()));
                drainHours(tokenId, entry, currentHour, hours);
                entry.addresses.forEach((address, seen) -> {
                    // Removed only if unchanged: a newer sighting that raced this flush stays for the next.
                    if (entry.addresses.remove(address, seen)) {
                        addresses.add(new AddressSeen(tokenId, address, Instant.ofEpochMilli(seen)));
                    }
                });
            } else {
                // Idle since the last flush: drop the entry so the map only holds tokens in use. A use
                // that raced the removal is carried over rather than lost.
                if (pending.remove(tokenId, entry) && entry.uses.sum() > 0) {
                    restore(new Batch(tokenId, entry.uses.sumThenReset(), entry.lastUsedMillis.get()));
                    List<HourUses> raced = new ArrayList<>();
                    drainHours(tokenId, entry, Long.MAX_VALUE, raced);
                    raced.forEach(this::restore);
                    entry.addresses.forEach((address, seen) -> restore(new AddressSeen(tokenId, address, Instant.ofEpochMilli(seen))));
                }
            }
        });
        return batch;
    }

    /**
     * Takes every hour's count. Counters of hours before the previous one are dropped from the entry
     * (no request adds to them any more); the current and previous hours' stay, so a request that read
     * its counter just before this flush never adds to a counter nobody drains.
     */
    private static void drainHours(UUID tokenId, Pending entry, long currentHour, List<HourUses> into) {
        entry.hours.forEach((hour, counter) -> {
            if (hour < currentHour - 1) {
                entry.hours.remove(hour, counter);
            }
            long uses = counter.sumThenReset();
            if (uses > 0) {
                into.add(new HourUses(tokenId, Instant.ofEpochMilli(hour * HOUR_MILLIS), uses));
            }
        });
    }

    private void restore(Batch use) {
        Pending entry = pending.computeIfAbsent(use.tokenId(), id -> new Pending());
        entry.uses.add(use.uses());
        entry.lastUsedMillis.accumulateAndGet(use.lastUsedMillis(), Math::max);
    }

    private void restore(HourUses use) {
        Pending entry = pending.computeIfAbsent(use.tokenId(), id -> new Pending());
        entry.hours.computeIfAbsent(use.hour().toEpochMilli() / HOUR_MILLIS, hour -> new LongAdder()).add(use.uses());
    }

    private void restore(AddressSeen seen) {
        Pending entry = pending.computeIfAbsent(seen.tokenId(), id -> new Pending());
        entry.addresses.merge(seen.address(), seen.lastSeenAt().toEpochMilli(), Math::max);
    }
}
