package dev.gatehouse.token;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 */
@ApplicationScoped
public class UsageRecorder {
    private static final Logger LOG = Logger.getLogger(UsageRecorder.class);
    private static final String FLUSH_SQL = """
            update token
               set usage_count = usage_count + ?,
                   last_used_at = greatest(coalesce(last_used_at, ?), ?)
             where id = ?
            """;

    private final Map<UUID, Pending> pending = new ConcurrentHashMap<>();
    private final AgroalDataSource dataSource;
    private final UsageConfig config;
    private ScheduledExecutorService scheduler;

    private static final class Pending {
        final LongAdder uses = new LongAdder();
        final AtomicLong lastUsedMillis = new AtomicLong();
    }

    private record Batch(UUID tokenId, long uses, long lastUsedMillis) {
    }

    UsageRecorder(AgroalDataSource dataSource, UsageConfig config) {
        this.dataSource = dataSource;
        this.config = config;
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
        Pending entry = pending.computeIfAbsent(tokenId, id -> new Pending());
        entry.uses.increment();
        entry.lastUsedMillis.accumulateAndGet(System.currentTimeMillis(), Math::max);
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
        List<Batch> batch = drain();
        if (batch.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(FLUSH_SQL)) {
            for (Batch use : batch) {
                Timestamp lastUsed = new Timestamp(use.lastUsedMillis());
                update.setLong(1, use.uses());
                update.setTimestamp(2, lastUsed);
                update.setTimestamp(3, lastUsed);
                update.setObject(4, use.tokenId());
                update.addBatch();
            }
            update.executeBatch();
        } catch (SQLException | RuntimeException e) {
            batch.forEach(this::restore);
            throw e;
        }
        LOG.debugf("Usage flushed for %d tokens", batch.size());
    }

    private List<Batch> drain() {
        List<Batch> batch = new ArrayList<>();
        pending.forEach((tokenId, entry) -> {
            long uses = entry.uses.sumThenReset();
            if (uses > 0) {
                batch.add(new Batch(tokenId, uses, entry.lastUsedMillis.get()));
            } else {
                // Idle since the last flush: drop the entry so the map only holds tokens in use. A use
                // that raced the removal is carried over rather than lost.
                if (pending.remove(tokenId, entry) && entry.uses.sum() > 0) {
                    restore(new Batch(tokenId, entry.uses.sumThenReset(), entry.lastUsedMillis.get()));
                }
            }
        });
        return batch;
    }

    private void restore(Batch use) {
        Pending entry = pending.computeIfAbsent(use.tokenId(), id -> new Pending());
        entry.uses.add(use.uses());
        entry.lastUsedMillis.accumulateAndGet(use.lastUsedMillis(), Math::max);
    }
}
