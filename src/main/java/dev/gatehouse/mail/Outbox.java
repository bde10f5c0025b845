package dev.gatehouse.mail;

import dev.gatehouse.keys.PrivateKeyVault;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import dev.gatehouse.db.Sql;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Where every mail goes first (docs/mail.md): a row in {@code mail_outbox}, in the transaction of the
 * change that causes it, so a mail exists exactly when its change commits, and an SMTP outage never fails
 * the request. {@link OutboxSender} delivers it. The body is sealed at rest: it may hold a one-time link.
 * When to send is the database's time, like every node's view of the queue.
 */
@ApplicationScoped
public class Outbox {
    private final Sql sql;
    private final PrivateKeyVault vault;
    private final MailSetup setup;
    private final Clock clock;

    Outbox(Sql sql, PrivateKeyVault vault, MailSetup setup, Clock clock) {
        this.sql = sql;
        this.vault = vault;
        this.setup = setup;
        this.clock = clock;
    }

    /** Whether mail can be sent at all (see {@link MailSetup}). */
    public boolean available() {
        return setup.available();
    }

    /** Queues a plain-text mail; false (nothing queued) when this deployment sends no mail. */
    public boolean enqueue(String to, String subject, String text) {
        if (!setup.available()) {
            return false;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        sql.update("insert into mail_outbox (created_at, recipient, subject, sealed_body, next_attempt_at) values (?, ?, ?, ?, now())",
                now, to, subject, vault.sealText(text));
        return true;
    }
}
