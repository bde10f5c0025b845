package dev.gatehouse.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.oauth.NoStore;
import dev.gatehouse.scope.ScopeCatalogue;
import io.quarkus.runtime.LaunchMode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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

    RegistrationResource(Clients clients, ScopeCatalogue catalogue, AuditLog audit) {
        this.audit = audit;
        this.clients = clients;
        this.rules = ClientMetadata.Rules.registration(catalogue, LaunchMode.current() == LaunchMode.DEVELOPMENT);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response register(JsonNode request) {
        ClientMetadata metadata = ClientMetadata.read(request, rules);
        Client client = clients.store(Client.of("dyn_" + UUID.randomUUID(), metadata, null, "registered",
                Instant.now().truncatedTo(ChronoUnit.MICROS)));
        audit.record(AuditEvent.Type.CLIENT_CREATED, AuditEvent.Actor.ANONYMOUS, null, client.clientId(),
                java.util.Map.of("name", client.clientName(), "registered", "dynamically"));
        return NoStore.status(201, ClientMetadata.describe(client, false));
    }
}
