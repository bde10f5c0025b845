package dev.gatehouse.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.oauth.NoStore;
import dev.gatehouse.outcome.Rejection;
import dev.gatehouse.web.ApiProblem;
import dev.gatehouse.web.ClientAddresses;
import dev.gatehouse.web.Html;
import dev.gatehouse.web.Pages;
import dev.gatehouse.web.RequestOrigin;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The claim ceremony (specs.md §1.3): the agent asks for a claim ({@code POST /agent/auth/claim}), the
 * person opens the emailed link and is shown a one-time code (the {@code view} page), the agent completes
 * with it ({@code POST /agent/auth/claim/complete}).
 */
@Path("/agent/auth/claim")
public class ClaimResource {
    private final AgentRegistrations registrations;
    private final ClientAddresses addresses;

    ClaimResource(AgentRegistrations registrations, ClientAddresses addresses) {
        this.registrations = registrations;
        this.addresses = addresses;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response claim(JsonNode request, @Context HttpServerRequest http) {
        requireObject(request);
        return NoStore.ok(registrations.startClaim(text(request, "claim_token"), text(request, "email"), addresses.textOf(http)));
    }

    @POST
    @Path("/complete")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response complete(JsonNode request, @Context HttpServerRequest http) {
        requireObject(request);
        return NoStore.ok(registrations.complete(text(request, "claim_token"), text(request, "otp"), addresses.textOf(http)));
    }

    /** The person's page, from the emailed link. Showing the code takes a POST. */
    @GET
    @Path("/view")
    @Produces(MediaType.TEXT_HTML)
    public Response view(@QueryParam("token") String token) {
        try {
            AgentRegistrations.Attempt attempt = registrations.attempt(token);
            return Html.page(Pages.claim(token, attempt.email(), attempt.accountExists(), null, null));
        } catch (AgentError error) {
            return Html.page(error.status(), Pages.claimClosed(error.getMessage()));
        }
    }

    @POST
    @Path("/view")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response showCode(@FormParam("token") String token, @FormParam("password") String password,
            @Context HttpServerRequest http) {
        if (RequestOrigin.isCrossSite(http)) {
            return Html.page(403, Pages.claimClosed("This form was sent from another site."));
        }
        try {
            String code = registrations.showCode(token, password);
            AgentRegistrations.Attempt attempt = registrations.attempt(token);
            return Html.page(Pages.claim(token, attempt.email(), true, code, null));
        } catch (ApiProblem | Rejection refusal) {
            ApiProblem problem = ApiProblem.from(refusal);
            AgentRegistrations.Attempt attempt = registrations.attempt(token);
            return Html.page(problem.status(), Pages.claim(token, attempt.email(), attempt.accountExists(), null, problem.getMessage()));
        } catch (AgentError error) {
            return Html.page(error.status(), Pages.claimClosed(error.getMessage()));
        }
    }

    private static void requireObject(JsonNode request) {
        if (request == null || !request.isObject()) {
            throw AgentError.invalidRequest("The body must be a JSON object");
        }
    }

    private static String text(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw AgentError.invalidRequest(field + " is required");
        }
        return value.asText();
    }
}
