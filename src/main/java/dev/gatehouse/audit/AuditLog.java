package dev.gatehouse.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.audit.AuditEvent.Actor;
import dev.gatehouse.audit.AuditEvent.Type;
import dev.gatehouse.web.ClientAddresses;
import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import dev.gatehouse.db.Sql;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Appends security events (docs/audit.md), in the caller's transaction when there is one, so an event is
 * recorded exactly when its change commits. The request's address and user agent are added here
 * ({@link AuditOrigin}); callers say what happened, who acted, whose account it concerns, on what.
 * A detail holds a few words for people: never a secret, never a whole request.
 */
@ApplicationScoped
public class AuditLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final int MOST_USER_AGENT = 256;

    private final Sql sql;
    private final Clock clock;
    private final ClientAddresses addresses;

    AuditLog(Sql sql, Clock clock, ClientAddresses addresses) {
        this.sql = sql;
        this.clock = clock;
        this.addresses = addresses;
    }

    public void record(Type type, Actor actor, UUID accountId, String subject, Map<String, ?> detail) {
        HttpServerRequest request = currentRequest();
        String address = request == null ? null : addresses.textOf(request);
        String agent = request == null ? null : request.getHeader("User-Agent");
        String userAgent = agent == null || agent.length() <= MOST_USER_AGENT ? agent : agent.substring(0, MOST_USER_AGENT);
        String json;
        try {
            json = JSON.writeValueAsString(detail == null ? Map.of() : detail);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("an audit detail must be plain data", e);
        }
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        sql.update("""
                insert into audit_event (occurred_at, type, actor_kind, actor_id, account_id, subject, client_address, user_agent, detail)
                values (?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb))""",
                at, type.column(), actor.kind(), actor.id(), accountId, subject, address, userAgent, json);
    }

    /** Who acts on an account now: the operator on an admin path, else the person themself. */
    public Actor actingFor(UUID accountId) {
        AuditOrigin origin = origin();
        return origin != null && origin.operator() != null ? origin.operator() : Actor.person(accountId);
    }

    /** The operator calling /admin/* now, else Gatehouse itself (a scheduled job). */
    public Actor operator() {
        AuditOrigin origin = origin();
        return origin == null || origin.operator() == null ? Actor.SYSTEM : origin.operator();
    }

    /** What the readers ask for: an account's events, a type, a time range; newest first, before the cursor. */
    public record Query(UUID accountId, String type, Instant since, Instant until, Long before, int limit) {
    }

    @SuppressWarnings("unchecked")
    public List<AuditEvent> read(Query query) {
        StringBuilder where = new StringBuilder("true");
        List<Object> parameters = new java.util.ArrayList<>();
        if (query.accountId() != null) {
            where.append(" and account_id = ?");
            parameters.add(query.accountId());
        }
        if (query.type() != null) {
            where.append(" and type = ?");
            parameters.add(query.type());
        }
        if (query.since() != null) {
            where.append(" and occurred_at >= ?");
            parameters.add(query.since());
        }
        if (query.until() != null) {
            where.append(" and occurred_at < ?");
            parameters.add(query.until());
        }
        if (query.before() != null) {
            where.append(" and id < ?");
            parameters.add(query.before());
        }
        parameters.add(query.limit());
        return sql.list("select id, occurred_at, type, actor_kind, actor_id, account_id, subject, client_address, user_agent, detail::text"
                + " from audit_event where " + where + " order by id desc limit ?", AuditLog::event, parameters.toArray());
    }

    private static AuditEvent event(java.sql.ResultSet row) throws java.sql.SQLException {
        Map<String, Object> detail;
        try {
            detail = JSON.readValue(row.getString("detail"), new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {
            });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // The detail is written by this class; an unreadable one is shown empty rather than hiding the event.
            detail = Map.of();
        }
        return new AuditEvent(row.getLong("id"), Sql.instant(row, "occurred_at"), row.getString("type"),
                new Actor(row.getString("actor_kind"), row.getString("actor_id")), row.getObject("account_id", UUID.class),
                row.getString("subject"), row.getString("client_address"), row.getString("user_agent"), detail);
    }

    private static AuditOrigin origin() {
        return Arc.container().requestContext().isActive() ? Arc.container().instance(AuditOrigin.class).get() : null;
    }

    /** The HTTP request being served, if the event is recorded while serving one. */
    private static HttpServerRequest currentRequest() {
        if (!Arc.container().requestContext().isActive()) {
            return null;
        }
        RoutingContext current = Arc.container().instance(CurrentVertxRequest.class).get().getCurrent();
        return current == null ? null : current.request();
    }
}
