package dev.gatehouse.oauth;

import dev.gatehouse.client.Client;
import dev.gatehouse.client.ClientAuthentication;
import dev.gatehouse.token.TokenHash;
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
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * {@code POST /oauth2/revoke} (RFC 7009), for every kind in the store. An access or refresh token must
 * belong to the calling client, and revoking it revokes its whole grant. An API key may be revoked by
 * any authenticated client: a leaked key should die as soon as anyone who finds it reports it. The
 * answer is 200 whether or not anything was revoked (§2.2).
 */
@Path("/oauth2/revoke")
public class RevocationResource {
    private static final Logger LOG = Logger.getLogger(RevocationResource.class);

    private final ClientAuthentication clients;
    private final TokenStore store;
    private final Grants grants;

    RevocationResource(ClientAuthentication clients, TokenStore store, Grants grants) {
        this.clients = clients;
        this.store = store;
        this.grants = grants;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revoke(MultivaluedMap<String, String> form, @Context HttpHeaders headers) {
        Client client = clients.authenticate(headers, form);
        String presented = form.getFirst("token");
        if (presented == null || presented.isBlank()) {
            throw OAuthError.invalidRequest("token is required");
        }
        Optional<TokenRecord> found = store.find(TokenHash.of(presented)).filter(token -> token.isActiveAt(store.now()));
        found.ifPresent(token -> revoke(token, client));
        return Response.ok().header("Cache-Control", "no-store").build();
    }

    private void revoke(TokenRecord token, Client client) {
        switch (token.kind()) {
            case API_KEY, AGENT -> {
                store.revoke(token);
                LOG.infof("Key %s (%s) revoked through RFC 7009 by client %s", token.id(), token.displayPrefix(), client.clientId());
            }
            case ACCESS, REFRESH -> {
                // RFC 7009 §2.1: a token issued to another client is refused, and the caller told so.
                if (!client.clientId().equals(token.clientId())) {
                    throw OAuthError.unauthorizedClient("This token was not issued to you");
                }
                String grant = token.metadata().get(TokenIssuer.GRANT);
                if (grant != null) {
                    grants.revoke(grant);
                } else {
                    store.revoke(token);
                }
            }
            default -> {
                // Sessions and codes are not the clients' to revoke.
            }
        }
    }
}
