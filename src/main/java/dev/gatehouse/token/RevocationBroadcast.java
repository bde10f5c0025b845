package dev.gatehouse.token;

import dev.gatehouse.state.HotState;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.security.SimplePassword;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import dev.gatehouse.db.Sql;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Tells every node that tokens changed, so each drops its cached copies, and which entries joined the
 * {@link RevocationList} (access tokens, which no row records): PostgreSQL NOTIFY, sent from the very
 * transaction that revoked (or otherwise changed) the tokens. PostgreSQL delivers it to every
 * listening node when, and only if, that transaction commits, in commit order, with no second system to
 * fail: a revocation cannot be announced and then roll back, nor commit unannounced.
 *
 * <p>The node that made the change does not wait for its own notification: it evicts its cache right
 * after the commit, before the request answers. Every other node listens on a connection of its own.
 * When that connection is lost, or misses its heartbeat, the broadcast is untrusted ({@link #trusted()}
 * is false) and the token cache believes no entry older than {@code degraded-cache-ttl}; once the node
 * listens again it drops its whole cache once, since it may have missed anything in between.
 */
@ApplicationScoped
public class RevocationBroadcast {
    private static final Logger LOG = Logger.getLogger(RevocationBroadcast.class);
    /** Tests and operators find the listener by this name in pg_stat_activity. */
    public static final String APPLICATION_NAME = "gatehouse-revocation-listener";
    /** NOTIFY payloads are capped at 8000 bytes; 64 hex characters and a comma per token. */
    private static final int HASHES_PER_NOTIFY = 100;
    /** Heartbeats travel on the channel itself, so a beat proves the whole LISTEN path, not just the socket. */
    private static final String HEARTBEAT = "heartbeat:";

    private final RevocationConfig config;
    private final AgroalDataSource dataSource;
    private final Sql sql;
    private final TransactionSynchronizationRegistry transactions;
    private final Counter resubscribed;
    private final List<Consumer<List<TokenHash>>> changeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Consumer<String>> revocationListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Runnable> resyncListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    private volatile boolean running;
    private volatile boolean listening;
    private volatile long lastHeartbeatNanos;
    private volatile Connection connection;
    private Thread listener;
    /** This node's heartbeats carry its own name, so it counts only the beats it sent. */
    private final String heartbeat = HEARTBEAT + java.util.UUID.randomUUID();

    /**
     * Marked in the shared hot state at every heartbeat: some node heard itself through PostgreSQL within
     * the mark's lifetime, so PostgreSQL was up for it.
     */
    private static final String POSTGRES_REACHED = "postgres-reached";
    private final HotState state;

    RevocationBroadcast(RevocationConfig config, AgroalDataSource dataSource, Sql sql,
            TransactionSynchronizationRegistry transactions, MeterRegistry meters, HotState state) {
        this.config = config;
        this.state = state;
        this.dataSource = dataSource;
        this.sql = sql;
        this.transactions = transactions;
        Gauge.builder("gatehouse.revocation.broadcast.trusted", this, broadcast -> broadcast.trusted() ? 1 : 0)
                .description("1 while this node hears every token change from the others; 0 while degraded")
                .register(meters);
        this.resubscribed = Counter.builder("gatehouse.revocation.broadcast.resubscribed")
                .description("Times this node listened again after losing the broadcast, and dropped its token cache")
                .register(meters);
    }

    /** Called with the hashes of tokens that changed, on this node or another. */
    void onChange(Consumer<List<TokenHash>> listener) {
        changeListeners.add(listener);
    }

    /** Called with each new revocation-list entry's payload, on this node or another. */
    void onRevocation(Consumer<String> listener) {
        revocationListeners.add(listener);
    }

    /** Called when the node listens again after a gap in which it may have missed changes. */
    void onResync(Runnable listener) {
        resyncListeners.add(listener);
    }

    /** Starts listening in the background: start-up never waits for it, and until it listens the node is degraded. */
    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        listener = new Thread(this::listenUntilStopped, "gatehouse-revocation-listener");
        listener.setDaemon(true);
        listener.start();
        // On a thread of its own: the listener never waits on Redis.
        marker = dev.gatehouse.schedule.Every.start("gatehouse-postgres-reached", config.heartbeatInterval(), this::markReached);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (marker != null) {
            marker.close();
        }
        closeQuietly(connection);
        if (listener != null) {
            listener.interrupt();
        }
    }

    /**
     * When this node last heard its own heartbeat (System.nanoTime): every change committed before that beat
     * has been delivered, since PostgreSQL notifies a listener in commit order.
     */
    long lastHeardNanos() {
        return lastHeartbeatNanos;
    }

    /** True while this node can rely on hearing every change: it listens and its last heartbeat is recent. */
    public boolean trusted() {
        return listening && System.nanoTime() - lastHeartbeatNanos < 3 * config.heartbeatInterval().toNanos();
    }

    public java.time.Duration degradedCacheTtl() {
        return config.degradedCacheTtl();
    }

    /**
     * Announces that these tokens changed. Inside a transaction the NOTIFY joins it, and this node's own
     * cache is evicted right after the commit, before the caller answers; outside one, both happen now.
     */
    void announce(Collection<TokenHash> changed) {
        if (changed.isEmpty()) {
            return;
        }
        List<TokenHash> hashes = List.copyOf(changed);
        List<String> payloads = new ArrayList<>();
        for (int from = 0; from < hashes.size(); from += HASHES_PER_NOTIFY) {
            payloads.add(String.join(",", hashes.subList(from, Math.min(hashes.size(), from + HASHES_PER_NOTIFY))
                    .stream().map(TokenHash::hex).toList()));
        }
        send(payloads, () -> deliver(hashes), true);
    }

    /**
     * Announces a new entry of the revocation list, the same way: with the transaction that writes it. Here
     * it applies on commit only: an entry kept after a rollback would revoke on this node what every other
     * node (and PostgreSQL) holds valid.
     */
    void announce(String revocation) {
        send(List.of(revocation), () -> revocationListeners.forEach(listener -> listener.accept(revocation)), false);
    }

    private void send(List<String> payloads, Runnable deliverHere, boolean alsoAfterRollback) {
        sql.withConnection(jdbc -> {
            notify(jdbc, payloads);
            return null;
        });
        if (transactions.getTransactionKey() == null) {
            deliverHere.run();
            return;
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                // Evicting after a rollback costs one reload; after a commit it is the point.
                if (status == Status.STATUS_COMMITTED || alsoAfterRollback && status == Status.STATUS_ROLLEDBACK) {
                    deliverHere.run();
                }
            }
        });
    }

    private void notify(Connection jdbc, List<String> payloads) throws SQLException {
        try (PreparedStatement notify = jdbc.prepareStatement("select pg_notify(?, ?)")) {
            for (String payload : payloads) {
                notify.setString(1, config.channel());
                notify.setString(2, payload);
                notify.execute();
            }
        }
    }

    private void deliver(List<TokenHash> hashes) {
        changeListeners.forEach(listener -> listener.accept(hashes));
    }

    private void listenUntilStopped() {
        long delayMillis = config.reconnectDelay().toMillis();
        boolean first = true;
        while (running) {
            try (Connection jdbc = connect()) {
                connection = jdbc;
                try (Statement listen = jdbc.createStatement()) {
                    listen.execute("LISTEN " + quoted(config.channel()));
                }
                // From here on every committed change reaches this node; anything before may have been missed.
                resyncListeners.forEach(Runnable::run);
                if (!first) {
                    resubscribed.increment();
                    LOG.info("Revocation broadcast: listening again; the token cache was dropped once");
                }
                first = false;
                heartbeat();
                listening = true;
                delayMillis = config.reconnectDelay().toMillis();
                receive(jdbc);
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.warnf("Revocation broadcast lost (%s); caching tokens for at most %s until it returns",
                            e.getClass().getSimpleName(), config.degradedCacheTtl());
                }
            } finally {
                listening = false;
                connection = null;
            }
            sleep(delayMillis);
            delayMillis = Math.min(delayMillis * 2, config.maxReconnectDelay().toMillis());
        }
    }

    /**
     * Waits for notifications. Every heartbeat interval the node notifies its own channel and counts the
     * beat only when that notification comes back: a dead socket, a half-open connection or a pooler that
     * drops LISTEN (PgBouncer in transaction mode) all stop the beats, and the node becomes degraded.
     */
    private void receive(Connection jdbc) throws SQLException {
        PGConnection postgres = jdbc.unwrap(PGConnection.class);
        int beatMillis = (int) Math.max(1, config.heartbeatInterval().toMillis());
        long nextBeat = System.nanoTime();
        try (PreparedStatement beat = jdbc.prepareStatement("select pg_notify(?, ?)")) {
            beat.setString(1, config.channel());
            beat.setString(2, heartbeat);
            while (running) {
                if (System.nanoTime() - nextBeat >= 0) {
                    beat.execute();
                    nextBeat = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(beatMillis);
                }
                PGNotification[] notifications = postgres.getNotifications(beatMillis);
                if (notifications != null && notifications.length > 0) {
                    List<TokenHash> hashes = new ArrayList<>();
                    for (PGNotification notification : notifications) {
                        parse(notification.getParameter(), hashes);
                    }
                    if (!hashes.isEmpty()) {
                        deliver(hashes);
                    }
                }
            }
        }
    }

    private void parse(String payload, List<TokenHash> into) {
        if (payload == null) {
            return;
        }
        if (payload.startsWith(HEARTBEAT)) {
            if (payload.equals(heartbeat)) {
                heartbeat();
            }
            return; // another node's beat
        }
        if (payload.startsWith(RevocationList.PREFIX)) {
            revocationListeners.forEach(listener -> listener.accept(payload));
            return;
        }
        for (String hex : payload.split(",")) {
            try {
                into.add(TokenHash.ofHex(hex));
            } catch (IllegalArgumentException e) {
                LOG.warn("Revocation broadcast: ignored a malformed notification");
            }
        }
    }

    private void heartbeat() {
        lastHeartbeatNanos = System.nanoTime();
    }

    /**
     * Every heartbeat interval: if this node reached PostgreSQL lately (its broadcast is trusted, or failing
     * that a plain query answers; a PgBouncer in transaction mode drops LISTEN but still answers queries),
     * it marks "PostgreSQL reached" in the shared hot state, for the judgement below.
     */
    private void markReached() {
        try {
            if (!trusted() && !databaseAnswers()) {
                return;
            }
            state.mark(POSTGRES_REACHED, config.heartbeatInterval().multipliedBy(4));
        } catch (RuntimeException e) {
            // Only the outage judgement needs it, and it assumes the worst without it.
        }
    }

    private boolean databaseAnswers() {
        try (Connection jdbc = dataSource.getConnection(); Statement ping = jdbc.createStatement()) {
            ping.setQueryTimeout(1);
            return ping.execute("select 1");
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * Whether PostgreSQL may be answering other nodes while this one cannot reach it (a partition, not an
     * outage): then revocations made there go unseen here. Assumed so unless the shared hot state itself
     * (never this node's stand-in for it) answers that no node has reached PostgreSQL lately. One node on
     * its own (no Redis) is never partitioned from the others, so its own marks are all there is. The answer
     * is kept for a second: it is asked while PostgreSQL fails, on the path of cached verifies.
     */
    boolean othersMayReachPostgres() {
        long now = System.nanoTime();
        if (now - othersJudgedAtNanos < 1_000_000_000L) {
            return othersMayReach;
        }
        boolean answer;
        try {
            answer = state.markedInShared(POSTGRES_REACHED);
        } catch (RuntimeException e) {
            answer = true;
        }
        othersMayReach = answer;
        othersJudgedAtNanos = now;
        return answer;
    }

    private volatile boolean othersMayReach = true;
    private volatile long othersJudgedAtNanos = System.nanoTime() - 2_000_000_000L;
    private dev.gatehouse.schedule.Every marker;

    /** A connection of its own, outside the pool: it stays open for as long as the node listens. */
    private Connection connect() throws SQLException {
        var factory = dataSource.getConfiguration().connectionPoolConfiguration().connectionFactoryConfiguration();
        Properties properties = new Properties();
        factory.jdbcProperties().forEach(properties::put);
        if (factory.principal() != null) {
            properties.setProperty("user", factory.principal().getName());
        }
        for (Object credential : factory.credentials()) {
            if (credential instanceof SimplePassword password) {
                properties.setProperty("password", password.getWord());
            }
        }
        properties.setProperty("ApplicationName", APPLICATION_NAME);
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("connectTimeout", "5");
        // A heartbeat that hangs longer than this is a dead connection.
        properties.setProperty("socketTimeout", Long.toString(Math.max(2, 3 * config.heartbeatInterval().toSeconds())));
        Connection jdbc = new org.postgresql.Driver().connect(factory.jdbcUrl(), properties);
        if (jdbc == null) {
            throw new SQLException("not a PostgreSQL URL: the revocation broadcast needs PostgreSQL");
        }
        jdbc.setAutoCommit(true);
        return jdbc;
    }

    private static String quoted(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static void closeQuietly(Connection jdbc) {
        if (jdbc != null) {
            try {
                jdbc.close();
            } catch (SQLException ignored) {
                // closing a connection that is already gone
            }
        }
    }
}
