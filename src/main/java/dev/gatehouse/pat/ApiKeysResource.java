package dev.gatehouse.pat;

import dev.gatehouse.guard.PersonGuard;
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
    public Response create(@Context HttpHeaders headers, ApiKeyRequests.Create request) {
        ApiKeyView created = keys.mint(guard.require(headers), request);
        return Response.created(URI.create("/settings/api-keys/" + created.id()))
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache")
                .entity(created)
                .build();
    }

    @GET
    public KeyList list(@Context HttpHeaders headers) {
        return new KeyList(keys.list(guard.require(headers)));
    }

    @GET
    @Path("/{id}")
    public ApiKeyView get(@Context HttpHeaders headers, @PathParam("id") UUID id) {
        return keys.get(guard.require(headers), id);
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ApiKeyView update(@Context HttpHeaders headers, @PathParam("id") UUID id, ApiKeyRequests.Update request) {
        return keys.update(guard.require(headers), id, request);
    }

    @DELETE
    @Path("/{id}")
    public Response revoke(@Context HttpHeaders headers, @PathParam("id") UUID id) {
        keys.revoke(guard.require(headers), id);
        return Response.noContent().build();
    }
}
