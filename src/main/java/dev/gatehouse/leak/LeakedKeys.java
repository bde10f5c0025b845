package dev.gatehouse.leak;

import dev.gatehouse.db.Sql;

import dev.gatehouse.account.Account;
import dev.gatehouse.account.Accounts;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.mail.Outbox;
import dev.gatehouse.oauth.Resources;
import dev.gatehouse.pat.ApiKeyFormat;
import dev.gatehouse.token.TokenHash;
import dev.gatehouse.token.TokenRecord;
import dev.gatehouse.token.TokenStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * What happens to a verified secret scanning report (specs.md §10.2): every reported token we issued is
 * public and compromised, so it is revoked at once, the report is kept, and its owner is told by mail.
 * The token is used only to compute its hash; it is never stored, logged or mailed.
 */
@ApplicationScoped
public class LeakedKeys {
    private static final Logger LOG = Logger.getLogger(LeakedKeys.class);

    private final TokenStore store;
    private final ApiKeyFormat format;
    private final Accounts accounts;
    private final Outbox outbox;
    private final Resources resources;
    private final Clock clock;
    /**
     * Owners' mails go out on this one thread, after the revocations and without holding up GitHub's
     * request: an SMTP server that is slow or hangs must not make GitHub time out and send the report again.
     */
    private final ExecutorService mailing = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("gatehouse-leak-mail").daemon().factory());

    private final AuditLog audit;

    private final Sql sql;

    LeakedKeys(TokenStore store, ApiKeyFormat format, Accounts accounts, Outbox outbox, Resources resources, Clock clock,
            AuditLog audit, Sql sql) {
        this.sql = sql;
        this.audit = audit;
        this.store = store;
        this.format = format;
        this.accounts = accounts;
        this.outbox = outbox;
        this.resources = resources;
        this.clock = clock;
    }

    @PreDestroy
    void stop() {
        mailing.shutdown();
    }

    /** A token this report revoked, and where it was seen: what its owner is told. */
    private record Notice(TokenRecord token, LeakReport report) {
    }

    /** Handles every report in order and answers one feedback entry per report, in the same order. */
    List<LeakFeedback> handle(List<LeakReport> reports) {
        List<LeakFeedback> feedback = new ArrayList<>(reports.size());
        int revokedNow = 0;
        // A batch may name the same token twice (a key copied into two files): revoke and mail once.
        Set<UUID> revokedHere = new HashSet<>();
        for (LeakReport report : reports) {
            TokenHash hash = TokenHash.of(report.token());
            Optional<TokenRecord> found = ours(report.token(), hash);
            if (found.isPresent()) {
                TokenRecord token = found.get();
                boolean revokeNow = !token.isRevoked() && revokedHere.add(token.id());
                if (revokeNow) {
                    store.revoke(token);
                    revokedNow++;
                    // Queued at once: should a later entry fail, this owner is still told.
                    mailing.execute(() -> tellOwner(new Notice(token, report)));
                }
                record(token, report, revokeNow);
                audit.record(AuditEvent.Type.API_KEY_LEAKED, AuditEvent.Actor.ANONYMOUS, token.accountId(), token.id().toString(),
                        Map.of("key", String.valueOf(token.displayPrefix()), "source", "GitHub secret scanning", "revoked", revokeNow));
                LOG.infof("Leaked %s %s (%s) reported by secret scanning, source %s: %s", token.kind().column(), token.id(),
                        token.displayPrefix(), oneLine(report.source()), revokeNow ? "revoked" : "already revoked");
            }
            feedback.add(new LeakFeedback(hash.hex(), report.type(),
                    found.isPresent() ? LeakFeedback.TRUE_POSITIVE : LeakFeedback.FALSE_POSITIVE));
        }
        LOG.infof("Secret scanning report: %d tokens, %d ours, %d revoked now", reports.size(),
                feedback.stream().filter(f -> f.label().equals(LeakFeedback.TRUE_POSITIVE)).count(), revokedNow);
        return feedback;
    }

    /**
     * The token we issued with this secret, whatever its kind or state. A value shaped like our keys whose
     * checksum fails is a look-alike and never reaches the store; anything else (GitHub only sends what our
     * regex matches, but a session or refresh token pasted next to it may come too) is looked up by hash.
     */
    private Optional<TokenRecord> ours(String token, TokenHash hash) {
        if (format.looksLikeKey(token) && format.check(token).isEmpty()) {
            return Optional.empty();
        }
        return store.find(hash);
    }

    private void record(TokenRecord token, LeakReport report, boolean revokedByReport) {
        String type = stored(report.type());
        String source = stored(report.source());
        String url = report.url() == null || report.url().isBlank() ? null : stored(report.url());
        QuarkusTransaction.requiringNew().run(() -> {
            // A report GitHub sends again (or someone replays) adds nothing: one row per key and place.
            long seen = sql.one("select count(*) from leaked_key_report where token_id = ? and source = ? and url is not distinct from ?",
                    row -> row.getLong(1), token.id(), source, url).orElse(0L);
            if (!revokedByReport && seen > 0) {
                return;
            }
            sql.update("insert into leaked_key_report (id, token_id, token_type, source, url, revoked_by_report, reported_at)"
                    + " values (?, ?, ?, ?, ?, ?, ?)", UUID.randomUUID(), token.id(), type, source, url, revokedByReport,
                    clock.instant().truncatedTo(ChronoUnit.MICROS));
        });
    }

    /** Best effort: the key is revoked whatever happens here, and GitHub has already heard it was ours. */
    private void tellOwner(Notice notice) {
        TokenRecord token = notice.token();
        try {
            Optional<Account> owner = token.accountId() == null ? Optional.empty() : accounts.find(token.accountId());
            if (owner.isEmpty()) {
                LOG.infof("Leaked %s %s (%s) has no owner to tell", token.kind().column(), token.id(), token.displayPrefix());
                return;
            }
            if (outbox.enqueue(owner.get().email(), "A key of yours was found in public and has been revoked",
                    message(token, notice.report()))) {
                LOG.infof("Owner of leaked %s %s (%s): mail queued", token.kind().column(), token.id(), token.displayPrefix());
            }
        } catch (RuntimeException e) {
            // The exception's text is not logged: the mail server may quote the recipient back.
            LOG.warnf("Could not tell the owner of leaked %s %s (%s): %s", token.kind().column(), token.id(),
                    token.displayPrefix(), e.getClass().getName());
        }
    }

    /** Names the key by its label and display prefix, as the key page does; never the key itself. */
    private String message(TokenRecord token, LeakReport report) {
        String name = token.displayPrefix() == null ? "a " + token.kind().column().replace('_', ' ')
                : "\"" + oneLine(token.label()) + "\" (" + token.displayPrefix() + "…)";
        String where = report.url() == null || report.url().isBlank() ? "GitHub did not say where"
                : oneLine(report.url());
        return "GitHub's secret scanning found " + name + ", issued by " + resources.issuer() + ", in a public place:\n\n"
                + "  " + where + "\n  (found in: " + oneLine(report.source()) + ")\n\n"
                + "Anyone could have copied it, so it was revoked at once and no longer works. "
                + "Create a new key for whatever used this one, keep it out of code and public places, "
                + "and check your account's recent activity.\n";
    }

    /** Reported text as stored: one line, no control characters (PostgreSQL refuses NUL), at most 2,000 characters. */
    private static String stored(String text) {
        String line = oneLine(text);
        return line.length() > 2000 ? line.substring(0, 2000) : line;
    }

    /** Reported text goes into logs and mails on one line, without control characters. */
    private static String oneLine(String text) {
        return text == null ? "unknown" : text.replaceAll("\\p{Cntrl}", " ").strip();
    }
}
