package dev.gatehouse.credits;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.outcome.Rejection;
import dev.gatehouse.owner.Owner;
import dev.gatehouse.owner.Owners;
import dev.gatehouse.web.StrictJson;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The operator's side of plans and balances (docs/credits.md): find an owner by its account's email,
 * see its standing, put it on a plan, top it up. Only for {@code gatehouse.admin.token}'s holder
 * ({@link dev.gatehouse.admin.OperatorGuard}). Bodies are read strictly: a wrong type is refused, never
 * converted, and a refused request changes nothing.
 */
@SecurityRequirement(name = "operator")
@Tag(name = "admin")
@Path("/admin/owners")
@Produces(MediaType.APPLICATION_JSON)
public class OwnersAdminResource {
    /** Top-ups above this are refused as a typo rather than granted. */
    static final long MAX_TOP_UP = 1_000_000_000_000L;
    static final int MAX_REFERENCE = 200;

    private final Credits credits;
    private final Owners owners;

    private final AuditLog audit;

    OwnersAdminResource(Credits credits, Owners owners, AuditLog audit) {
        this.audit = audit;
        this.credits = credits;
        this.owners = owners;
    }

    /** {@code GET /admin/owners?email=…}: the owner of that account. */
    @GET
    public StandingView find(@QueryParam("email") String email) {
        if (email == null || email.isBlank()) {
            throw Rejection.invalid("Query parameter 'email' is required");
        }
        Owner owner = owners.ofAccountEmail(email).orElseThrow(() -> Rejection.notFound("No account with that email"));
        return StandingView.of(credits.standing(owner), true);
    }

    @GET
    @Path("/{id}")
    public StandingView get(@PathParam("id") UUID id) {
        return StandingView.of(credits.standing(owners.byId(id).orElseThrow(() -> Rejection.notFound("No such owner"))), true);
    }

    /** {@code PUT /admin/owners/{id}/plan} with {@code {"plan":"pro"}}. */
    @PUT
    @Path("/{id}/plan")
    @Consumes(MediaType.APPLICATION_JSON)
    public StandingView changePlan(@PathParam("id") UUID id, JsonNode body) {
        StrictJson.fieldsOnly(body, Set.of("plan"));
        JsonNode plan = body.get("plan");
        if (plan == null || !plan.isTextual() || plan.asText().isBlank()) {
            throw Rejection.invalid("Field 'plan' is required: the name of a plan");
        }
        Credits.Standing changed = credits.changePlan(id, plan.asText());
        audit.record(AuditEvent.Type.ADMIN_ACTION, audit.operator(), changed.owner().accountId(), id.toString(),
                java.util.Map.of("action", "plan changed", "plan", plan.asText()));
        return StandingView.of(changed, true);
    }

    /**
     * {@code POST /admin/owners/{id}/top-ups} with {@code {credits, reference}}. The reference (a payment's
     * id) makes a retry safe: the same top-up again changes nothing.
     */
    @POST
    @Path("/{id}/top-ups")
    @Consumes(MediaType.APPLICATION_JSON)
    public StandingView topUp(@PathParam("id") UUID id, JsonNode body) {
        StrictJson.fieldsOnly(body, Set.of("credits", "reference"));
        JsonNode amount = body.get("credits");
        if (amount == null || !amount.isIntegralNumber() || !amount.canConvertToLong() || amount.longValue() < 1
                || amount.longValue() > MAX_TOP_UP) {
            throw Rejection.invalid("Field 'credits' must be a whole number from 1 to " + MAX_TOP_UP);
        }
        JsonNode reference = body.get("reference");
        if (reference == null || !reference.isTextual() || reference.asText().isBlank()
                || reference.asText().strip().length() > MAX_REFERENCE) {
            throw Rejection.invalid("Field 'reference' is required (at most " + MAX_REFERENCE + " characters), e.g. the payment's id");
        }
        Credits.Standing topped = credits.topUp(id, amount.longValue(), reference.asText().strip());
        audit.record(AuditEvent.Type.ADMIN_ACTION, audit.operator(), topped.owner().accountId(), id.toString(),
                java.util.Map.of("action", "topped up", "credits", amount.longValue(), "reference", reference.asText().strip()));
        return StandingView.of(topped, true);
    }
}
