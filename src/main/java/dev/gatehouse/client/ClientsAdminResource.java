package dev.gatehouse.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.oauth.NoStore;
import dev.gatehouse.oauth.OAuthConfig;
import dev.gatehouse.outcome.Rejection;
import dev.gatehouse.scope.ScopeCatalogue;
import dev.gatehouse.token.SecretGenerator;
import dev.gatehouse.token.TokenStore;
import dev.gatehouse.token.TokenHash;
import dev.gatehouse.web.Paging;
import dev.gatehouse.web.StrictJson;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The operator's clients (Hydra's admin API is the anchor; docs/admin.md): create, read, list, replace
 * and delete confidential and public clients with RFC 7591 metadata, and rotate a secret with a grace
 * period. A secret is answered once, when made, and stored as its SHA-256. Clients that configuration
 * seeds at start-up are read-only here (a change would be undone at the next start). Only for
 * {@code /admin/*}'s callers ({@link dev.gatehouse.admin.OperatorGuard}).
 */
@SecurityScheme(securitySchemeName = "operator", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "gatehouse.admin.token, or an operator's first-party access token with the scope gatehouse:admin (docs/admin.md)")
@SecurityRequirement(name = "operator")
@Tag(name = "admin")
@Path("/admin/clients")
@Produces(MediaType.APPLICATION_JSON)
public class ClientsAdminResource {
    /** A rotated secret works at most this long after its successor is made. */
    static final Duration LONGEST_GRACE = Duration.ofDays(30);

    private final Clients clients;
    private final TokenStore tokens;
    private final SecretGenerator secrets;
    private final Clock clock;
    private final ClientMetadata.Rules rules;

    private final AuditLog audit;

    ClientsAdminResource(Clients clients, TokenStore tokens, SecretGenerator secrets, Clock clock, ScopeCatalogue catalogue, OAuthConfig oauth,
            AuditLog audit) {
        this.audit = audit;
        this.clients = clients;
        this.tokens = tokens;
        this.secrets = secrets;
        this.clock = clock;
        this.rules = ClientMetadata.Rules.operators(catalogue, oauth);
    }

    /** {@code POST /admin/clients}: 201 with the client's metadata, its {@code client_id} and, for a confidential client, its secret (once). */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(JsonNode body) {
        ClientMetadata metadata = ClientMetadata.read(body, rules);
        String secret = Client.NONE.equals(metadata.authMethod()) ? null : secrets.opaque();
        Instant now = now();
        Client client = clients.store(Client.of("gh_" + UUID.randomUUID(), metadata, secret == null ? null : TokenHash.of(secret).bytes(),
                "admin", now));
        audit.record(AuditEvent.Type.CLIENT_CREATED, audit.operator(), null, client.clientId(),
                Map.of("name", client.clientName(), "grant_types", client.grantTypes()));
        Map<String, Object> answer = withSecret(client, secret);
        return Response.status(201).header("Location", "/admin/clients/" + client.clientId())
                .header("Cache-Control", "no-store").entity(answer).type(MediaType.APPLICATION_JSON).build();
    }

    /** {@code GET /admin/clients?page_size=&page_token=}: clients in client_id order; {@code next_page_token} while there are more. */
    @GET
    public Map<String, Object> list(@QueryParam("page_size") String pageSize, @QueryParam("page_token") String pageToken) {
        int size = Paging.size(pageSize);
        return Paging.page("clients", clients.page(Paging.after(pageToken), size + 1), size, Client::clientId,
                client -> ClientMetadata.describe(client, true));
    }

    @GET
    @Path("/{id}")
    public Map<String, Object> get(@PathParam("id") String id) {
        return ClientMetadata.describe(stored(id), true);
    }

    /**
     * {@code PUT /admin/clients/{id}}: replaces the client's metadata. Its secret stays; a public client
     * stays public and a confidential one confidential (make a new client to change that).
     */
    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> replace(@PathParam("id") String id, JsonNode body) {
        Client current = changeable(id);
        ClientMetadata metadata = ClientMetadata.read(body, rules);
        if (Client.NONE.equals(metadata.authMethod()) != current.isPublic()) {
            throw Rejection.invalid("token_endpoint_auth_method cannot turn a " + (current.isPublic() ? "public" : "confidential")
                    + " client into a " + (current.isPublic() ? "confidential" : "public") + " one: create a new client");
        }
        Client replaced = clients.store(current.with(metadata, now()));
        audit.record(AuditEvent.Type.CLIENT_CHANGED, audit.operator(), null, id, Map.of("name", replaced.clientName()));
        return ClientMetadata.describe(replaced, true);
    }

    /** {@code DELETE /admin/clients/{id}}: the client goes, and with it every grant it holds and every live token issued to it. */
    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        changeable(id);
        QuarkusTransaction.requiringNew().run(() -> {
            tokens.revokeClientTokens(id);
            clients.delete(id);
            audit.record(AuditEvent.Type.CLIENT_DELETED, audit.operator(), null, id, Map.of());
        });
        return Response.noContent().build();
    }

    /**
     * {@code POST /admin/clients/{id}/secret} with {@code {"grace_period": seconds}} (0 if absent): a new
     * secret, answered once; the previous one keeps working for the grace period, then stops.
     */
    @POST
    @Path("/{id}/secret")
    public Response rotateSecret(@PathParam("id") String id, JsonNode body) {
        Duration grace = Duration.ZERO;
        if (body != null && !body.isNull()) {
            StrictJson.fieldsOnly(body, Set.of("grace_period"));
            JsonNode seconds = body.path("grace_period");
            if (!seconds.isMissingNode()) {
                if (!seconds.isIntegralNumber() || !seconds.canConvertToLong() || seconds.asLong() < 0
                        || seconds.asLong() > LONGEST_GRACE.toSeconds()) {
                    throw Rejection.invalid("grace_period must be a whole number of seconds from 0 to " + LONGEST_GRACE.toSeconds());
                }
                grace = Duration.ofSeconds(seconds.asLong());
            }
        }
        Client current = changeable(id);
        if (current.isPublic()) {
            throw Rejection.invalid("A public client has no secret to rotate");
        }
        String secret = secrets.opaque();
        Instant now = now();
        Client.RetiredSecret previous = grace.isZero() ? null : new Client.RetiredSecret(current.secretHash(), now.plus(grace));
        Client rotated = clients.store(current.withSecret(TokenHash.of(secret).bytes(), previous, now));
        audit.record(AuditEvent.Type.CLIENT_SECRET_ROTATED, audit.operator(), null, id, Map.of("grace_seconds", grace.toSeconds()));
        return NoStore.ok(withSecret(rotated, secret));
    }

    private Client stored(String id) {
        return clients.stored(id).orElseThrow(() -> Rejection.notFound("No such client"));
    }

    /** A client the admin API may change: not one that configuration seeds at every start. */
    private Client changeable(String id) {
        Client client = stored(id);
        if ("seeded".equals(client.origin()) || "configured".equals(client.origin())) {
            throw Rejection.conflict("Client " + id + " comes from configuration and is seeded at every start: change it there");
        }
        return client;
    }

    private static Map<String, Object> withSecret(Client client, String secret) {
        Map<String, Object> answer = ClientMetadata.describe(client, true);
        if (secret != null) {
            answer.put("client_secret", secret);
            answer.put("client_secret_expires_at", 0);
        }
        return answer;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
