package dev.gatehouse.oauth.grants;

import dev.gatehouse.client.Client;
import dev.gatehouse.oauth.IssuedTokens;
import dev.gatehouse.oauth.OAuthError;
import dev.gatehouse.oauth.Resources;
import dev.gatehouse.oauth.TokenIssuer;
import dev.gatehouse.scope.ScopeCatalogue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;

/**
 * {@code client_credentials} (RFC 6749 §4.4): a confidential client acting for itself. The subject is
 * the client; no refresh token (§4.4.3). Nothing is stored per request: there is no person's consent to
 * keep, and the access token is a JWT.
 */
@ApplicationScoped
public class ClientCredentialsGrant implements Grant {
    private final TokenIssuer issuer;
    private final Resources resources;

    ClientCredentialsGrant(TokenIssuer issuer, Resources resources) {
        this.issuer = issuer;
        this.resources = resources;
    }

    @Override
    public String grantType() {
        return "client_credentials";
    }

    @Override
    public IssuedTokens exchange(Client client, MultivaluedMap<String, String> form) {
        if (client.isPublic()) {
            throw OAuthError.unauthorizedClient("Public clients cannot use client_credentials");
        }
        List<String> scopes = checkScope(client, form.getFirst("scope"));
        List<String> audience = checkResource(form.get("resource"));
        // Nothing is written: the JWT carries it all, and is revoked by its jti or with its client.
        return issuer.issue(new TokenIssuer.Grant(client, null, client.clientId(), scopes, audience, null, null, null), false);
    }

    private static List<String> checkScope(Client client, String scope) {
        if (scope == null || scope.isBlank()) {
            return client.scopes().stream().filter(s -> !ScopeCatalogue.OIDC_SCOPES.contains(s)).toList();
        }
        List<String> requested = ScopeCatalogue.parse(scope);
        List<String> refused = requested.stream().filter(s -> !client.allowsScope(s) || s.equals("openid")).toList();
        if (!refused.isEmpty()) {
            throw OAuthError.invalidScope("Not allowed for this client: " + String.join(" ", refused));
        }
        return requested;
    }

    private List<String> checkResource(List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            return List.of(resources.defaultResource());
        }
        for (String resource : requested) {
            if (!resources.known(resource)) {
                throw OAuthError.invalidTarget("Unknown resource " + resource);
            }
        }
        return List.of(resources.defaultResource());
    }
}
