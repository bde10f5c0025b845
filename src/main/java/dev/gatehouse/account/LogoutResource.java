package dev.gatehouse.account;

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

    LogoutResource(Sessions sessions) {
        this.sessions = sessions;
    }

    @POST
    public Response logout(@Context HttpHeaders headers, @Context HttpServerRequest request) {
        if (RequestOrigin.isCrossSite(request)) {
            return Response.status(403).build();
        }
        return Response.seeOther(URI.create("/login")).cookie(sessions.end(headers, request)).build();
    }
}
