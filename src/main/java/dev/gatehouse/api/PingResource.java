package dev.gatehouse.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /v1/ping}: answers without authentication. Clients use it to check reachability; the load
 * benchmark uses it as the no-op baseline {@code /v1/me} is measured against.
 */
// On a virtual thread, as /v1/me is: the no-op it is measured against runs the same way.
@RunOnVirtualThread
@Path("/v1/ping")
@Produces(MediaType.APPLICATION_JSON)
public class PingResource {
    @RegisterForReflection
    public record Pong(boolean ok) {
    }

    private static final Pong PONG = new Pong(true);

    @GET
    public Pong ping() {
        return PONG;
    }
}
