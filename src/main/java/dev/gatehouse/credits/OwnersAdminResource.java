package dev.gatehouse.credits;

import dev.gatehouse.admin.OperatorGuard;
import dev.gatehouse.outcome.Rejection;
import dev.gatehouse.owner.Owner;
import dev.gatehouse.owner.Owners;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;

/**
 * The operator's side of plans and balances (docs/credits.md): find an owner by its account's email,
 * see its standing, put it on a plan, top it up. Needs {@code gatehouse.admin.token}.
 */
@Path("/admin/owners")
@Produces(MediaType.APPLICATION_JSON)
public class OwnersAdminResource {
    /** Top-ups above this are refused as a typo rather than granted. */
    static final long MAX_TOP_UP = 1_000_000_000_000L;

    @RegisterForReflection
    public record PlanChange(String plan) {
    }

    @RegisterForReflection
    public record TopUpRequest(Long credits, String reference) {
    }

    private final Credits credits;
    private final Owners owners;
    private final OperatorGuard operators;

    OwnersAdminResource(Credits credits, Owners owners, OperatorGuard operators) {
        this.credits = credits;
        this.owners = owners;
        this.operators = operators;
    }

    /** {@code GET /admin/owners?email=…}: the owner of that account. */
    @GET
    public StandingView find(@Context HttpHeaders headers, @QueryParam("email") String email) {
        operators.require(headers);
        if (email == null || email.isBlank()) {
            throw Rejection.invalid("Query parameter 'email' is required");
        }
        Owner owner = owners.ofAccountEmail(email).orElseThrow(() -> Rejection.notFound("No account with that email"));
        return StandingView.of(credits.standing(owner), true);
    }

    @GET
    @Path("/{id}")
    public StandingView get(@Context HttpHeaders headers, @PathParam("id") UUID id) {
        operators.require(headers);
        return StandingView.of(credits.standing(owners.byId(id).orElseThrow(() -> Rejection.notFound("No such owner"))), true);
    }

    @PUT
    @Path("/{id}/plan")
    @Consumes(MediaType.APPLICATION_JSON)
    public StandingView changePlan(@Context HttpHeaders headers, @PathParam("id") UUID id, PlanChange change) {
        operators.require(headers);
        if (change == null || change.plan() == null || change.plan().isBlank()) {
            throw Rejection.invalid("Field 'plan' is required");
        }
        return StandingView.of(credits.changePlan(id, change.plan()), true);
    }

    /**
     * {@code POST /admin/owners/{id}/top-ups} with {@code {credits, reference}}. The reference (a payment's
     * id) makes a retry safe: the same top-up again changes nothing.
     */
    @POST
    @Path("/{id}/top-ups")
    @Consumes(MediaType.APPLICATION_JSON)
    public StandingView topUp(@Context HttpHeaders headers, @PathParam("id") UUID id, TopUpRequest request) {
        operators.require(headers);
        if (request == null || request.credits() == null || request.credits() < 1 || request.credits() > MAX_TOP_UP) {
            throw Rejection.invalid("Field 'credits' must be a whole number from 1 to " + MAX_TOP_UP);
        }
        if (request.reference() == null || request.reference().isBlank() || request.reference().length() > 200) {
            throw Rejection.invalid("Field 'reference' is required (at most 200 characters), e.g. the payment's id");
        }
        return StandingView.of(credits.topUp(id, request.credits(), request.reference().strip()), true);
    }
}
