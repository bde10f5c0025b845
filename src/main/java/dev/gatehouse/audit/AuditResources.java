package dev.gatehouse.audit;

import dev.gatehouse.guard.PersonGuard;
import dev.gatehouse.outcome.Rejection;
import dev.gatehouse.web.Paging;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The audit log's two readers: a person's own events, and every event for operators (docs/audit.md). */
public final class AuditResources {
    private AuditResources() {
    }

    /** {@code GET /settings/audit?type=&since=&until=&page_size=&page_token=}: the signed-in person's events, newest first. */
    @Path("/settings/audit")
    @Produces(MediaType.APPLICATION_JSON)
    public static class Own {
        private final AuditLog log;
        private final PersonGuard guard;

        Own(AuditLog log, PersonGuard guard) {
            this.log = log;
            this.guard = guard;
        }

        @GET
        public Map<String, Object> list(@Context HttpHeaders headers, @Context HttpServerRequest http, @QueryParam("type") String type,
                @QueryParam("since") String since, @QueryParam("until") String until, @QueryParam("page_size") String pageSize,
                @QueryParam("page_token") String pageToken) {
            UUID account = guard.require(headers, http);
            return page(log, account, type, since, until, pageSize, pageToken);
        }
    }

    /** {@code GET /admin/audit?account=&type=&since=&until=&page_size=&page_token=}: every event, newest first. */
    @SecurityRequirement(name = "operator")
    @Tag(name = "admin")
    @Path("/admin/audit")
    @Produces(MediaType.APPLICATION_JSON)
    public static class All {
        private final AuditLog log;

        All(AuditLog log) {
            this.log = log;
        }

        @GET
        public Map<String, Object> list(@QueryParam("account") String account, @QueryParam("type") String type,
                @QueryParam("since") String since, @QueryParam("until") String until, @QueryParam("page_size") String pageSize,
                @QueryParam("page_token") String pageToken) {
            UUID accountId = null;
            if (account != null && !account.isBlank()) {
                try {
                    accountId = UUID.fromString(account);
                } catch (IllegalArgumentException e) {
                    throw Rejection.invalid("account must be an account's id");
                }
            }
            return page(log, accountId, type, since, until, pageSize, pageToken);
        }
    }

    static Map<String, Object> page(AuditLog log, UUID account, String type, String since, String until, String pageSize, String pageToken) {
        if (type != null && !AuditEvent.Type.known(type)) {
            throw Rejection.invalid("Unknown event type " + type);
        }
        int size = Paging.size(pageSize);
        Long before = null;
        String after = Paging.after(pageToken);
        if (after != null) {
            try {
                before = Long.parseLong(after);
            } catch (NumberFormatException e) {
                throw Rejection.invalid("page_token is not one this API gave");
            }
        }
        AuditLog.Query query = new AuditLog.Query(account, type, instant("since", since), instant("until", until), before, size + 1);
        return Paging.page("events", log.read(query), size, event -> Long.toString(event.id()), event -> event);
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw Rejection.invalid(name + " must be an instant such as 2026-12-01T00:00:00Z");
        }
    }
}
