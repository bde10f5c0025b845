package dev.gatehouse.usage;

import dev.gatehouse.guard.PersonGuard;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;

/** {@code GET /settings/api-keys/{id}/usage}: a key's use, for its owner only (same guard as the key API). */
@Path("/settings/api-keys/{id}/usage")
@Produces(MediaType.APPLICATION_JSON)
public class KeyUsageResource {
    private final KeyUsage usage;
    private final PersonGuard guard;

    KeyUsageResource(KeyUsage usage, PersonGuard guard) {
        this.usage = usage;
        this.guard = guard;
    }

    /**
     * {@code days} is read as text, and from the raw query (where {@code days=} stays an empty value rather
     * than becoming "absent"), so that every bad value is refused in the deployment's error shape.
     */
    @GET
    public KeyUsage.Report get(@Context HttpHeaders headers, @Context HttpServerRequest http, @PathParam("id") UUID id,
            @Context UriInfo uri) {
        return usage.of(guard.require(headers, http), id, uri.getQueryParameters().getFirst("days"));
    }
}
