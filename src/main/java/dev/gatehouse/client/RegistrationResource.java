package dev.gatehouse.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.oauth.NoStore;
import dev.gatehouse.oauth.OAuthConfig;
import dev.gatehouse.oauth.OAuthError;
import dev.gatehouse.scope.ScopeCatalogue;
import dev.gatehouse.state.AttemptLimits;
import dev.gatehouse.state.WindowCounters;
import dev.gatehouse.web.ClientAddresses;
import io.quarkus.runtime.LaunchMode;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * {@code POST /oauth2/register} (RFC 7591) for apps and agents' tools: public clients (PKCE, no secret)
 * with https or loopback redirect URIs. The answer is 201 with the client_id and every registered field
 * echoed (the MCP SDK requires {@code redirect_uris} back); errors are RFC 7591 §3.2.2's.
 */
@Path("/oauth2/register")
public class RegistrationResource {
    private final Clients clients;
    private final ClientMetadata.Rules rules;
    private final AuditLog audit;
    private final java.time.Clock clock;
    private final ClientAddresses addresses;
    private final AttemptLimits limits;
    private final int perAddress;

    RegistrationResource(Clients clients, ScopeCatalogue catalogue, AuditLog audit, java.time.Clock clock, ClientAddresses addresses,
            WindowCounters counters, OAuthConfig oauth) {
        this.audit = audit;
        this.clients = clients;
        this.clock = clock;
        this.addresses = addresses;
        this.rules = ClientMetadata.Rules.registration(catalogue, LaunchMode.current() == LaunchMode.DEVELOPMENT);
        this.limits = new AttemptLimits(counters, clock, oauth.registration().window());
        this.perAddress = oauth.registration().perAddress();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response register(JsonNode request, @Context HttpServerRequest http) {
        ClientMetadata metadata = ClientMetadata.read(request, rules);
        // A client named like the operator's own would borrow its standing on the consent page.
        if (!ClientMetadata.UNNAMED.equals(metadata.name()) && clients.namesAnOperatorClient(metadata.name())) {
            throw new OAuthError("invalid_client_metadata", "client_name is the name of one of this service's own applications");
        }
        String address = addresses.textOf(http);
        if (address != null) {
            limits.require(List.of(new AttemptLimits.Limit("client-registrations:" + AttemptLimits.network(address), perAddress)),
                    "Too many client registrations from this address; try again later");
        }
        Client client = clients.store(Client.of("dyn_" + UUID.randomUUID(), metadata, null, "registered",
                clock.instant().truncatedTo(ChronoUnit.MICROS)));
        audit.record(AuditEvent.Type.CLIENT_CREATED, AuditEvent.Actor.ANONYMOUS, null, client.clientId(),
                java.util.Map.of("name", client.clientName(), "registered", "dynamically"));
        return NoStore.status(201, ClientMetadata.describe(client, false));
    }
}
