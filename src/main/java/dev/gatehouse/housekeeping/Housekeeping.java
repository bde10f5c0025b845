package dev.gatehouse.housekeeping;

import dev.gatehouse.schedule.Every;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import dev.gatehouse.db.Sql;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Deletes, every {@code interval}, what is expired or revoked past its retention (docs/housekeeping.md):
 * tokens of every kind (sessions, codes, API keys, agents' keys, access and refresh tokens; their usage
 * rows, leak reports and agent registrations go with them), revoked grants, unclaimed agent registrations
 * whose claim expired, credit holdings of months long closed, sent or abandoned mail, and audit events
 * past their own retention.
 *
 * <p>In small batches, one short transaction each, so no statement holds locks for long; and on one node
 * at a time: each batch takes a transaction-level advisory lock, and a node that finds it taken leaves the
 * round to the node that has it.
 */
@ApplicationScoped
public class Housekeeping {
    private static final Logger LOG = Logger.getLogger(Housekeeping.class);
    private static final long LOCK = 0x686f757365L; // "house"

    /** One kind of row to remove: the table, how a row is named, which rows are done with (:cutoff, :auditCutoff, :monthCutoff). */
    private record Sweep(String name, String table, String key, String condition) {
    }

    private static final List<Sweep> SWEEPS = List.of(
            new Sweep("tokens", "token", "id",
                    "(expires_at < :cutoff or revoked_at < :cutoff)"),
            new Sweep("authorizations", "oauth_authorization", "id",
                    "(expires_at < :cutoff or revoked_at < :cutoff)"),
            new Sweep("revocation-list entries", "revocation", "id",
                    "keep_until < :cutoff"),
            new Sweep("unclaimed agent registrations", "agent_registration", "id",
                    "claimed_at is null and credential_id is null and claim_expires_at < :cutoff"),
            new Sweep("credit holdings of closed months", "credit_holding", "ctid",
                    "period_start < :monthCutoff"),
            new Sweep("audit events", "audit_event", "id",
                    "occurred_at < :auditCutoff"),
            new Sweep("sent or abandoned mail", "mail_outbox", "id",
                    "(sent_at < :cutoff or failed_at < :cutoff)"),
            new Sweep("unconfirmed sign-ups", "signup_confirmation", "token_hash",
                    "expires_at < :cutoff"));

    private final Sql sql;
    private final HousekeepingConfig config;
    private final Clock clock;
    private final MeterRegistry meters;
    private Every schedule;

    Housekeeping(Sql sql, HousekeepingConfig config, Clock clock, MeterRegistry meters) {
        this.sql = sql;
        this.config = config;
        this.clock = clock;
        this.meters = meters;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        schedule = Every.start("gatehouse-housekeeping", config.interval(), this::runQuietly);
    }

    void stop(@Observes ShutdownEvent event) {
        if (schedule != null) {
            schedule.close();
        }
    }

    private void runQuietly() {
        try {
            run();
        } catch (RuntimeException e) {
            LOG.warnf("Housekeeping failed (%s); the next round tries again", e.getClass().getSimpleName());
        }
    }

    /** One round. Returns how many rows each sweep deleted (nothing if another node holds the lock). */
    public Map<String, Long> run() {
        Instant now = clock.instant();
        Instant cutoff = now.minus(config.retention());
        Instant auditCutoff = now.minus(config.auditRetention());
        // Redis keeps a month's balance a week after it ends, and late marks may come until then: two months is safe.
        java.time.LocalDate monthCutoff = YearMonth.from(now.atOffset(ZoneOffset.UTC)).minusMonths(2).atDay(1);
        Map<String, Long> deleted = new LinkedHashMap<>();
        for (Sweep sweep : SWEEPS) {
            long total = 0;
            for (int batch = 0; batch < config.mostBatches(); batch++) {
                Integer count = QuarkusTransaction.requiringNew().call(() -> {
                    boolean mine = sql.one("select pg_try_advisory_xact_lock(" + LOCK + ")", row -> row.getBoolean(1)).orElse(false);
                    if (!mine) {
                        return null;
                    }
                    // The condition's named moments, in order, become positional parameters.
                    java.util.regex.Matcher named = java.util.regex.Pattern.compile(":(cutoff|auditCutoff|monthCutoff)\\b")
                            .matcher(sweep.condition());
                    List<Object> parameters = new java.util.ArrayList<>();
                    while (named.find()) {
                        parameters.add(switch (named.group(1)) {
                            case "cutoff" -> cutoff;
                            case "auditCutoff" -> auditCutoff;
                            default -> monthCutoff;
                        });
                    }
                    String condition = named.replaceAll("?");
                    return sql.update("delete from " + sweep.table() + " where " + sweep.key() + " in (select " + sweep.key() + " from "
                            + sweep.table() + " where " + condition + " limit " + config.batchSize() + ")", parameters.toArray());
                });
                if (count == null) {
                    LOG.debug("Housekeeping: another node is at it");
                    return deleted;
                }
                total += count;
                if (count < config.batchSize()) {
                    break;
                }
            }
            deleted.put(sweep.name(), total);
            meters.counter("gatehouse.housekeeping.deleted", "what", sweep.name()).increment(total);
        }
        if (deleted.values().stream().anyMatch(count -> count > 0)) {
            LOG.infof("Housekeeping: deleted %s", deleted);
        }
        return deleted;
    }
}
