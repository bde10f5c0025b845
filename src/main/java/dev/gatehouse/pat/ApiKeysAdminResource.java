package dev.gatehouse.pat;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The operator's view of one account's API keys (docs/admin.md): the list as the person sees it (never a
 * secret), revoking one, revoking all. Only for {@code /admin/*}'s callers ({@link dev.gatehouse.admin.OperatorGuard}).
 */
@SecurityRequirement(name = "operator")
@Tag(name = "admin")
@Path("/admin/accounts/{account}/api-keys")
@Produces(MediaType.APPLICATION_JSON)
public class ApiKeysAdminResource {
    private final ApiKeys keys;

    ApiKeysAdminResource(ApiKeys keys) {
        this.keys = keys;
    }

    @GET
    public Map<String, List<ApiKeyView>> list(@PathParam("account") UUID account) {
        return Map.of("keys", keys.list(account));
    }

    /** Revokes one key at once, on every node; revoking a revoked key changes nothing. */
    @DELETE
    @Path("/{id}")
    public Response revoke(@PathParam("account") UUID account, @PathParam("id") UUID id) {
        keys.revoke(account, id);
        return Response.noContent().build();
    }

    /** Revokes every live key of the account (its own and its agents'), at once, on every node. */
    @DELETE
    public Map<String, Integer> revokeAll(@PathParam("account") UUID account) {
        return Map.of("revoked", keys.revokeAll(account));
    }
}
