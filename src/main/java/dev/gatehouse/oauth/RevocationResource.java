package dev.gatehouse.oauth;

import dev.gatehouse.client.Client;
import dev.gatehouse.client.ClientAuthentication;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.token.TokenKind;
import dev.gatehouse.token.TokenStoreUnavailable;
import dev.gatehouse.verification.Verification;
import dev.gatehouse.verification.VerificationCode;
import dev.gatehouse.verification.VerificationPipeline;
import dev.gatehouse.verification.VerificationPolicy;
import dev.gatehouse.token.TokenRecord;
import dev.gatehouse.token.TokenStore;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * {@code POST /oauth2/revoke} (RFC 7009), for every kind a client may hold or find. An access or refresh
 * token must belong to the calling client. Revoking an access token revokes that token alone (its
 * {@code jti} goes on the revocation list); revoking a refresh token revokes its authorization, and with it
 * every access token issued under it (§2.1). An API key may be revoked by any authenticated client: a
 * leaked key should die as soon as anyone who finds it reports it. The answer is 200 whether or not
 * anything was revoked (§2.2). The token is recognised by the same pipeline as introspection.
 */
@Path("/oauth2/revoke")
public class RevocationResource {
    private static final Logger LOG = Logger.getLogger(RevocationResource.class);
    /** Sessions and codes are not the clients' to revoke. */
    private static final VerificationPolicy REVOCABLE = VerificationPolicy.introspection(
            Set.of(TokenKind.ACCESS, TokenKind.REFRESH, TokenKind.API_KEY, TokenKind.AGENT));

    private final ClientAuthentication clients;
    private final TokenStore store;
    private final Authorizations authorizations;
    private final VerificationPipeline pipeline;

    private final FormLimits formLimits;

    RevocationResource(ClientAuthentication clients, TokenStore store, Authorizations authorizations, VerificationPipeline pipeline, FormLimits formLimits) {
        this.formLimits = formLimits;
        this.clients = clients;
        this.store = store;
        this.authorizations = authorizations;
        this.pipeline = pipeline;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revoke(MultivaluedMap<String, String> form, @Context HttpHeaders headers) {
        formLimits.check(form);
        Client client = clients.authenticate(headers, form);
        String presented = form.getFirst("token");
        if (presented == null || presented.isBlank()) {
            throw OAuthError.invalidRequest("token is required");
        }
        Verification found = pipeline.verify(presented, REVOCABLE);
        if (found.code() == VerificationCode.UNAVAILABLE) {
            throw new TokenStoreUnavailable(new IllegalStateException("the token store cannot be read"));
        }
        if (found.isValid()) {
            revoke(found.token(), client);
        }
        return Response.ok().header("Cache-Control", "no-store").build();
    }

    private void revoke(TokenRecord token, Client client) {
        switch (token.kind()) {
            case API_KEY, AGENT -> {
                store.revoke(token);
                LOG.infof("Key %s (%s) revoked through RFC 7009 by client %s", token.id(), token.displayPrefix(), client.clientId());
            }
            case ACCESS -> {
                requireOwn(token, client);
                store.revokeAccessToken(token);
            }
            case REFRESH -> {
                requireOwn(token, client);
                authorizations.revoke(token.authorizationId(), token.accountId(), AuditEvent.Actor.client(client.clientId()));
            }
            default -> {
                // not revocable by clients (the policy admits no other kind)
            }
        }
    }

    /** RFC 7009 §2.1: a token issued to another client is refused, and the caller told so. */
    private static void requireOwn(TokenRecord token, Client client) {
        if (!client.clientId().equals(token.clientId())) {
            throw OAuthError.unauthorizedClient("This token was not issued to you");
        }
    }
}
