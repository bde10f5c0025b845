package dev.gatehouse.usage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.mail.Outbox;
import dev.gatehouse.oauth.Resources;
import dev.gatehouse.token.UsageRecorder;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The 24-hour high-usage alert (seed 003; docs/usage.md). After each usage flush, the keys used since
 * the last one are checked: a key whose uses in the rolling 24 hours (the current UTC hour's bucket and
 * the 23 before it) reach the threshold opens a 24-hour window, and its owner gets one mail and the
 * configured webhook one signed event. No other alert for that key until the window ends.
 *
 * <p>The alert row is inserted, under a PostgreSQL lock per key, before anything is sent: only the node
 * whose insert succeeded sends, so several nodes and restarts never alert twice for one window. Sending
 * happens on a thread of its own, never in a request or the flush; failures are retried every
 * {@code retry-delay} up to {@code max-attempts}, then given up (logged).
 */
@ApplicationScoped
public class UsageAlerts implements UsageRecorder.Sink {
    private static final Logger LOG = Logger.getLogger(UsageAlerts.class);
    static final String EVENT_TYPE = "api_key.usage.threshold_crossed";
    static final Duration WINDOW = Duration.ofHours(24);
    /** The class half of this feature's advisory locks (the other half is the key's); "usag". */
    private static final int LOCK_CLASS = 0x75736167;
    private static final int SWEEP_BATCH = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AgroalDataSource dataSource;
    private final UsageHistory history;
    private final UsageAlertsConfig config;
    private final Outbox outbox;
    private final Resources resources;
    private final Clock clock;
    private StandardWebhook webhook;
    private HttpClient http;
    private ScheduledExecutorService sending;

    UsageAlerts(AgroalDataSource dataSource, UsageHistory history, UsageAlertsConfig config, Outbox outbox,
            Resources resources, Clock clock) {
        this.dataSource = dataSource;
        this.history = history;
        this.config = config;
        this.outbox = outbox;
        this.resources = resources;
        this.clock = clock;
    }

    /** Checks the settings at start, so a bad secret stops the node instead of failing the first alert. */
    void start(@Observes StartupEvent event) {
        if (config.threshold().isEmpty()) {
            return;
        }
        if (config.threshold().getAsLong() < 1 || config.maxAttempts() < 1) {
            throw new IllegalStateException("gatehouse.usage.alerts.threshold and .max-attempts must be at least 1");
        }
        if (config.webhookUrl().isPresent()) {
            URI url = config.webhookUrl().get();
            if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme())) {
                throw new IllegalStateException("gatehouse.usage.alerts.webhook-url must be an http or https URL");
            }
            try {
                webhook = StandardWebhook.withSecret(config.webhookSecret()
                        .orElseThrow(() -> new IllegalArgumentException("a webhook URL needs a webhook secret")));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("gatehouse.usage.alerts.webhook-secret: " + e.getMessage());
            }
            http = HttpClient.newBuilder().connectTimeout(config.webhookTimeout())
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        }
        sending = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("gatehouse-usage-alerts").daemon().factory());
        long every = config.retryDelay().toMillis();
        sending.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (sending != null) {
            sending.shutdown();
        }
    }

    /** On the flush thread: which of the keys just used crossed the threshold, and not already in a window. */
    @Override
    public void flushed(UsageRecorder.Flushed batch) {
        if (sending == null || batch.tokenIds().isEmpty()) {
            return;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        long threshold = config.threshold().getAsLong();
        try (Connection connection = dataSource.getConnection()) {
            Map<UUID, Long> crossed = history.usesInLast24Hours(connection, batch.tokenIds(), now, threshold);
            for (Map.Entry<UUID, Long> key : crossed.entrySet()) {
                UUID alert = claim(connection, key.getKey(), key.getValue(), threshold, now);
                if (alert != null) {
                    sending.execute(() -> deliverQuietly(alert));
                }
            }
        } catch (SQLException | RuntimeException e) {
            // The next flush that sees this key used again looks again.
            LOG.warnf("High-usage check failed: %s", e.getMessage());
        }
    }

    /**
     * Inserts the alert if no window of this key is open at {@code now}; the id when this node inserted it
     * (and must send it), null otherwise. Keys only: other tokens (sessions, OAuth tokens) are not alerted on.
     */
    private UUID claim(Connection connection, UUID tokenId, long uses, long threshold, Instant now) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            // Serialises the check and the insert per key across nodes: a second node waits, then sees the window.
            try (PreparedStatement lock = connection.prepareStatement("select pg_advisory_xact_lock(?, ?)")) {
                lock.setInt(1, LOCK_CLASS);
                lock.setInt(2, tokenId.hashCode());
                lock.execute();
            }
            UUID id = UUID.randomUUID();
            int inserted;
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into usage_alert (id, token_id, window_start, window_end, uses, threshold, mail_pending,
                                             webhook_pending, next_attempt_at)
                    select ?, t.id, ?, ?, ?, ?, true, ?, ?
                      from token t
                     where t.id = ? and t.kind in ('api_key', 'agent')
                       and not exists (select 1 from usage_alert a where a.token_id = t.id and a.window_end > ?)
                    """)) {
                insert.setObject(1, id);
                insert.setObject(2, UsageHistory.utc(now));
                insert.setObject(3, UsageHistory.utc(now.plus(WINDOW)));
                insert.setLong(4, uses);
                insert.setLong(5, threshold);
                insert.setBoolean(6, webhook != null);
                // This node holds the alert for one retry delay: sweeps elsewhere leave it alone meanwhile.
                insert.setObject(7, UsageHistory.utc(now.plus(config.retryDelay())));
                insert.setObject(8, tokenId);
                insert.setObject(9, UsageHistory.utc(now));
                inserted = insert.executeUpdate();
            }
            connection.commit();
            if (inserted == 1) {
                LOG.infof("Key %s crossed the high-usage threshold: %d uses in 24 hours (threshold %d)", tokenId, uses, threshold);
                return id;
            }
            return null;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private void sweepQuietly() {
        try {
            for (UUID alert : due()) {
                deliverQuietly(alert);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("High-usage alert retry failed: %s", e.getMessage());
        }
    }

    /** Alerts left to send whose time has come, taken for one retry delay by this node (another skips them). */
    private List<UUID> due() throws SQLException {
        Instant now = clock.instant();
        List<UUID> due = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement take = connection.prepareStatement("""
                        update usage_alert set next_attempt_at = ?
                         where id in (select id from usage_alert where next_attempt_at <= ?
                                       order by next_attempt_at limit ? for update skip locked)
                        returning id""")) {
            take.setObject(1, UsageHistory.utc(now.plus(config.retryDelay())));
            take.setObject(2, UsageHistory.utc(now));
            take.setInt(3, SWEEP_BATCH);
            try (ResultSet rows = take.executeQuery()) {
                while (rows.next()) {
                    due.add(rows.getObject(1, UUID.class));
                }
            }
        }
        return due;
    }

    /** What an alert says: the key by id, display prefix and label, never by its secret (which is not kept). */
    private record Alert(UUID id, UUID keyId, String keyPrefix, String label, String email, long uses, long threshold,
            Instant windowStart, boolean mailPending, boolean webhookPending, int attempts) {
    }

    private void deliverQuietly(UUID id) {
        try {
            deliver(id);
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("High-usage alert %s not sent, will retry: %s", id, e.getClass().getName());
        }
    }

    void deliver(UUID id) throws SQLException {
        Alert alert = load(id);
        if (alert == null || (!alert.mailPending() && !alert.webhookPending())) {
            return;
        }
        boolean mailPending = alert.mailPending() && !mail(alert);
        // A webhook removed from the settings since is no longer owed.
        boolean webhookPending = alert.webhookPending() && webhook != null && !post(alert);
        int attempts = alert.attempts() + 1;
        boolean done = !mailPending && !webhookPending;
        boolean givenUp = !done && attempts >= config.maxAttempts();
        if (givenUp) {
            LOG.warnf("High-usage alert %s for key %s (%s) given up after %d attempts (mail %s, webhook %s)", id, alert.keyId(),
                    alert.keyPrefix(), attempts, mailPending ? "unsent" : "sent", webhookPending ? "unsent" : "sent");
        }
        Instant now = clock.instant();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("""
                        update usage_alert
                           set mail_pending = ?, webhook_pending = ?, attempts = ?, next_attempt_at = ?,
                               mail_sent_at = case when mail_pending and not ? then ? else mail_sent_at end,
                               webhook_sent_at = case when webhook_pending and not ? and ? then ? else webhook_sent_at end
                         where id = ?""")) {
            update.setBoolean(1, mailPending);
            update.setBoolean(2, webhookPending);
            update.setInt(3, attempts);
            update.setObject(4, done || givenUp ? null : UsageHistory.utc(now.plus(config.retryDelay())));
            update.setBoolean(5, mailPending);
            update.setObject(6, UsageHistory.utc(now));
            update.setBoolean(7, webhookPending);
            update.setBoolean(8, webhook != null);
            update.setObject(9, UsageHistory.utc(now));
            update.setObject(10, id);
            update.executeUpdate();
        }
    }

    private Alert load(UUID id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("""
                        select a.token_id, t.display_prefix, t.label, p.email, a.uses, a.threshold, a.window_start,
                               a.mail_pending, a.webhook_pending, a.attempts
                          from usage_alert a join token t on t.id = a.token_id left join account p on p.id = t.account_id
                         where a.id = ?""")) {
            query.setObject(1, id);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                return new Alert(id, row.getObject(1, UUID.class), row.getString(2), row.getString(3), row.getString(4),
                        row.getLong(5), row.getLong(6), row.getObject(7, OffsetDateTime.class).toInstant(), row.getBoolean(8),
                        row.getBoolean(9), row.getInt(10));
            }
        }
    }

    /** True when sent, or when there is nobody to send it to. */
    private boolean mail(Alert alert) {
        if (alert.email() == null) {
            LOG.infof("High-usage alert %s: key %s has no owner to mail", alert.id(), alert.keyId());
            return true;
        }
        try {
            if (outbox.enqueue(alert.email(), "High usage of your API key " + name(alert), mailText(alert))) {
                LOG.infof("High-usage alert %s: mail to the owner of key %s (%s) queued", alert.id(), alert.keyId(), alert.keyPrefix());
            }
            return true;
        } catch (RuntimeException e) {
            // Not the exception's text: the mail server may quote the recipient back.
            LOG.warnf("High-usage alert %s: mail failed: %s", alert.id(), e.getClass().getName());
            return false;
        }
    }

    private String mailText(Alert alert) {
        return "Your API key " + name(alert) + " was used " + alert.uses() + " times in the last 24 hours, reaching the "
                + "high-usage alert threshold of " + alert.threshold() + " (noticed at " + alert.windowStart() + ").\n\n"
                + "If you did not expect this, the key may have leaked: roll or revoke it at "
                + resources.issuer() + "/account/api-tokens, where its recent addresses are shown.\n\n"
                + "You get at most one such mail per key every 24 hours.\n";
    }

    private static String name(Alert alert) {
        String label = alert.label() == null ? "" : alert.label().replaceAll("\\p{Cntrl}", " ").strip();
        return "\"" + label + "\" (" + alert.keyPrefix() + "…)";
    }

    /** One signed POST; true on a 2xx answer. The webhook-id is the same on every retry, so receivers can drop repeats. */
    private boolean post(Alert alert) {
        URI url = config.webhookUrl().orElseThrow();
        String messageId = "msg_" + alert.id();
        long timestamp = clock.instant().getEpochSecond();
        String body = eventBody(alert);
        try {
            HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(url)
                    .timeout(config.webhookTimeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Gatehouse-Webhooks")
                    .header("webhook-id", messageId)
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", webhook.sign(messageId, timestamp, body))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.discarding());
            if (answer.statusCode() / 100 == 2) {
                LOG.infof("High-usage alert %s posted to the webhook at %s", alert.id(), url.getHost());
                return true;
            }
            LOG.warnf("High-usage alert %s: the webhook at %s answered %d", alert.id(), url.getHost(), answer.statusCode());
        } catch (IOException e) {
            LOG.warnf("High-usage alert %s: the webhook at %s failed: %s", alert.id(), url.getHost(), e.getClass().getName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** Standard Webhooks' payload shape: type, timestamp (when it happened), data. */
    static String eventBody(Alert alert) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("keyId", alert.keyId().toString());
        data.put("keyPrefix", alert.keyPrefix());
        data.put("label", alert.label());
        data.put("uses", alert.uses());
        data.put("threshold", alert.threshold());
        data.put("windowStart", alert.windowStart().toString());
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", EVENT_TYPE);
        event.put("timestamp", alert.windowStart().toString());
        event.put("data", data);
        try {
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Strings and numbers always serialise", e);
        }
    }
}
