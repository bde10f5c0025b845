package dev.gatehouse.pat;

import dev.gatehouse.guard.PersonGuard;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;

/** {@code /settings/api-keys}: a signed-in person manages their own keys (seed 001's paths). */
@Path("/settings/api-keys")
@Produces(MediaType.APPLICATION_JSON)
public class ApiKeysResource {
    private final ApiKeys keys;
    private final PersonGuard guard;

    ApiKeysResource(ApiKeys keys, PersonGuard guard) {
        this.keys = keys;
        this.guard = guard;
    }

    public record KeyList(List<ApiKeyView> keys) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Context HttpHeaders headers, @Context HttpServerRequest http, ApiKeyRequests.Create request) {
        return created(keys.mint(guard.require(headers, http), request));
    }

    @GET
    public KeyList list(@Context HttpHeaders headers, @Context HttpServerRequest http) {
        return new KeyList(keys.list(guard.require(headers, http)));
    }

    @GET
    @Path("/{id}")
    public ApiKeyView get(@Context HttpHeaders headers, @Context HttpServerRequest http, @PathParam("id") UUID id) {
        return keys.get(guard.require(headers, http), id);
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ApiKeyView update(@Context HttpHeaders headers, @Context HttpServerRequest http, @PathParam("id") UUID id,
            ApiKeyRequests.Update request) {
        return keys.update(guard.require(headers, http), id, request);
    }

    /** Seeds 000 and 002: a successor shown once, the old key working until the grace period ends. */
    @POST
    @Path("/{id}/roll")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response roll(@Context HttpHeaders headers, @Context HttpServerRequest http, @PathParam("id") UUID id,
            ApiKeyRequests.Roll request) {
        return created(keys.roll(guard.require(headers, http), id, request));
    }

    @DELETE
    @Path("/{id}")
    public Response revoke(@Context HttpHeaders headers, @Context HttpServerRequest http, @PathParam("id") UUID id) {
        keys.revoke(guard.require(headers, http), id);
        return Response.noContent().build();
    }

    /** A new key's one appearance: never cached, anywhere. */
    private static Response created(ApiKeyView key) {
        return Response.created(URI.create("/settings/api-keys/" + key.id()))
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache")
                .entity(key)
                .build();
    }
}
