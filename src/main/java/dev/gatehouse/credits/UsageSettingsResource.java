package dev.gatehouse.credits;

import dev.gatehouse.guard.PersonGuard;
import dev.gatehouse.owner.Owners;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /settings/usage}: the person's plan, what is left of it this month, and when it resets. */
@Path("/settings/usage")
@Produces(MediaType.APPLICATION_JSON)
public class UsageSettingsResource {
    private final Credits credits;
    private final Owners owners;
    private final PersonGuard guard;

    UsageSettingsResource(Credits credits, Owners owners, PersonGuard guard) {
        this.credits = credits;
        this.owners = owners;
        this.guard = guard;
    }

    @GET
    public StandingView get(@Context HttpHeaders headers, @Context HttpServerRequest http) {
        return StandingView.of(credits.standing(owners.ofAccount(guard.require(headers, http))), false);
    }
}
