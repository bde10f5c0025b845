package dev.gatehouse.account;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.web.RequestOrigin;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** {@code POST /logout}: revokes the session in the store and clears the cookie. */
@Path("/logout")
public class LogoutResource {
    private final Sessions sessions;

    private final AuditLog audit;

    LogoutResource(Sessions sessions, AuditLog audit) {
        this.audit = audit;
        this.sessions = sessions;
    }

    @POST
    public Response logout(@Context HttpHeaders headers, @Context HttpServerRequest request) {
        if (RequestOrigin.isCrossSite(request)) {
            return Response.status(403).build();
        }
        sessions.current(headers).ifPresent(person -> audit.record(AuditEvent.Type.SIGNED_OUT,
                AuditEvent.Actor.person(person.accountId()), person.accountId(), null, java.util.Map.of()));
        return Response.seeOther(URI.create("/login")).cookie(sessions.end(headers, request)).build();
    }
}
