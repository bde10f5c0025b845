package dev.gatehouse.mail;

import dev.gatehouse.keys.PrivateKeyVault;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
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
    private final EntityManager entities;
    private final PrivateKeyVault vault;
    private final MailSetup setup;
    private final Clock clock;

    Outbox(EntityManager entities, PrivateKeyVault vault, MailSetup setup, Clock clock) {
        this.entities = entities;
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
        QuarkusTransaction.joiningExisting().run(() -> entities.createNativeQuery("""
                insert into mail_outbox (created_at, recipient, subject, sealed_body, next_attempt_at) values (?1, ?2, ?3, ?4, now())""")
                .setParameter(1, now).setParameter(2, to).setParameter(3, subject).setParameter(4, vault.sealText(text))
                .executeUpdate());
        return true;
    }
}
