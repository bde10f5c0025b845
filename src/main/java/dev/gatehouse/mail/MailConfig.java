package dev.gatehouse.mail;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code gatehouse.mail.*}: the outbox's sender (docs/mail.md). SMTP itself is {@code quarkus.mailer.*}. */
@ConfigMapping(prefix = "gatehouse.mail")
public interface MailConfig {
    /** How often the sender looks for mail to send. */
    @WithDefault("2s")
    Duration sendInterval();

    /** Mails sent per round at most. */
    @WithDefault("20")
    int batchSize();

    /** The first retry waits this long; each next one twice as long, up to {@link #longestBackoff()}. */
    @WithDefault("5s")
    Duration firstBackoff();

    @WithDefault("30m")
    Duration longestBackoff();

    /** After this many failed attempts a mail is given up on (and counted). */
    @WithDefault("20")
    int maxAttempts();
}
