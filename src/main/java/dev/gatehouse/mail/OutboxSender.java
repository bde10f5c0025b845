package dev.gatehouse.mail;

import dev.gatehouse.keys.PrivateKeyVault;
import dev.gatehouse.schedule.Every;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import dev.gatehouse.db.Sql;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Delivers the outbox every {@code gatehouse.mail.send-interval}: due mails, oldest first, each taken with
 * {@code FOR UPDATE SKIP LOCKED}, so several nodes share the work and none sends a mail twice. A failed
 * send is tried again later, each wait twice the one before (from {@code first-backoff} up to
 * {@code longest-backoff}), and given up on after {@code max-attempts}. The first failure ends the round:
 * with SMTP down, one attempt per round is enough to learn when it is back. A sent mail's body is wiped.
 * Meters: {@code gatehouse_mail_outbox_backlog}, {@code gatehouse_mail_sent_total},
 * {@code gatehouse_mail_failures_total}, {@code gatehouse_mail_given_up_total}.
 */
@ApplicationScoped
class OutboxSender {
    private static final Logger LOG = Logger.getLogger(OutboxSender.class);

    private final Sql sql;
    private final Mailer mailer;
    private final PrivateKeyVault vault;
    private final MailConfig config;
    private final MailSetup setup;
    private final Clock clock;
    private final Counter sent;
    private final Counter failures;
    private final Counter givenUp;
    private Every schedule;

    OutboxSender(Sql sql, Mailer mailer, PrivateKeyVault vault, MailConfig config, MailSetup setup, Clock clock,
            MeterRegistry meters) {
        this.sql = sql;
        this.mailer = mailer;
        this.vault = vault;
        this.config = config;
        this.setup = setup;
        this.clock = clock;
        this.sent = meters.counter("gatehouse.mail.sent");
        this.failures = meters.counter("gatehouse.mail.failures");
        this.givenUp = meters.counter("gatehouse.mail.given.up");
        Gauge.builder("gatehouse.mail.outbox.backlog", this, OutboxSender::backlog)
                .description("Mails waiting to be sent (NaN while PostgreSQL does not answer)").register(meters);
    }

    void start(@Observes StartupEvent event) {
        if (!setup.available()) {
            return;
        }
        schedule = Every.start("gatehouse-mail", config.sendInterval(), this::sendQuietly);
    }

    void stop(@Observes ShutdownEvent event) {
        if (schedule != null) {
            schedule.close();
        }
    }

    private void sendQuietly() {
        try {
            send();
        } catch (RuntimeException e) {
            LOG.debugf("Mail: a round failed (%s); the next one tries again", e.getClass().getSimpleName());
        }
    }

    /** One round; returns how many mails went out. */
    @SuppressWarnings("unchecked")
    int send() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            List<Object[]> due = sql.list("""
                    select id, recipient, subject, sealed_body, attempts from mail_outbox
                    where sent_at is null and failed_at is null and next_attempt_at <= now()
                    order by id limit ? for update skip locked""", row -> new Object[] {row.getLong(1), row.getString(2), row.getString(3),
                    row.getString(4), row.getInt(5)}, config.batchSize());
            int delivered = 0;
            for (Object[] mail : due) {
                long id = ((Number) mail[0]).longValue();
                try {
                    mailer.send(Mail.withText((String) mail[1], (String) mail[2], vault.openText((String) mail[3])));
                    sql.update("update mail_outbox set sent_at = ?, sealed_body = null where id = ?", now, id);
                    sent.increment();
                    delivered++;
                } catch (RuntimeException e) {
                    failed(id, ((Number) mail[4]).intValue() + 1, now, e);
                    break;
                }
            }
            return delivered;
        });
    }

    private void failed(long id, int attempts, Instant now, RuntimeException e) {
        failures.increment();
        boolean giveUp = attempts >= config.maxAttempts();
        Duration wait = backoff(attempts);
        sql.update("update mail_outbox set attempts = ?, next_attempt_at = now() + make_interval(secs => ?), failed_at = ?, last_error = ?"
                + " where id = ?", attempts, (double) wait.toMillis() / 1000, giveUp ? Timestamp.from(now) : null, e.getClass().getSimpleName(), id);
        if (giveUp) {
            givenUp.increment();
            LOG.errorf("Mail %d given up after %d attempts (%s)", id, attempts, e.getClass().getSimpleName());
        } else {
            LOG.warnf("Mail %d not sent (%s); attempt %d, next in %s", id, e.getClass().getSimpleName(), attempts, wait);
        }
    }

    /** first-backoff doubled per attempt after the first, up to longest-backoff. */
    Duration backoff(int attempts) {
        Duration wait = config.firstBackoff();
        for (int i = 1; i < attempts && wait.compareTo(config.longestBackoff()) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(config.longestBackoff()) > 0 ? config.longestBackoff() : wait;
    }

    private double backlog() {
        try {
            return QuarkusTransaction.requiringNew().call(() -> sql.one(
                    "select count(*) from mail_outbox where sent_at is null and failed_at is null", row -> row.getDouble(1)).orElse(0.0));
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
