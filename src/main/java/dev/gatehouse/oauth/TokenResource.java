package dev.gatehouse.oauth;

import dev.gatehouse.client.Client;
import dev.gatehouse.client.ClientAuthentication;
import dev.gatehouse.oauth.grants.Grant;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code POST /oauth2/token}: authenticates the client, then hands the request to the class of its grant
 * type. The password grant and anything unknown are {@code unsupported_grant_type} (RFC 9700 §2.4).
 */
@Path("/oauth2/token")
public class TokenResource {
    private final ClientAuthentication clients;
    private final Map<String, Grant> grants;

    private final FormLimits formLimits;

    TokenResource(ClientAuthentication clients, Instance<Grant> grants, FormLimits formLimits) {
        this.formLimits = formLimits;
        this.clients = clients;
        this.grants = grants.stream().collect(Collectors.toMap(Grant::grantType, Function.identity()));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response token(MultivaluedMap<String, String> form, @Context HttpHeaders headers) {
        formLimits.check(form);
        String grantType = form.getFirst("grant_type");
        if (grantType == null) {
            throw OAuthError.invalidRequest("grant_type is required");
        }
        Grant grant = grants.get(grantType);
        if (grant == null) {
            throw OAuthError.unsupportedGrantType("grant_type " + grantType + " is not supported");
        }
        Client client = clients.authenticate(headers, form);
        if (!client.allowsGrant(grantType)) {
            throw OAuthError.unauthorizedClient("This client may not use " + grantType);
        }
        return NoStore.ok(grant.exchange(client, form));
    }
}
