package dev.gatehouse.client;

import dev.gatehouse.oauth.OAuthError;
import dev.gatehouse.token.TokenHash;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;

/**
 * Who is calling the token, revocation or introspection endpoint: {@code client_secret_basic},
 * {@code client_secret_post}, or {@code none} for a public client that names itself. A failure is
 * {@code invalid_client}; after a Basic attempt it carries a Basic challenge (RFC 6749 §5.2).
 */
@ApplicationScoped
public class ClientAuthentication {
    private static final String BASIC = "basic ";

    private final Clients clients;
    private final Clock clock;

    ClientAuthentication(Clients clients, Clock clock) {
        this.clients = clients;
        this.clock = clock;
    }

    public Client authenticate(HttpHeaders headers, MultivaluedMap<String, String> form) {
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        String formId = form.getFirst("client_id");
        String formSecret = form.getFirst("client_secret");
        if (authorization != null && authorization.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            String[] pair = basicPair(authorization.substring(BASIC.length()).strip());
            if (formSecret != null || (formId != null && !formId.equals(pair[0]))) {
                throw OAuthError.invalidRequest("Use one client authentication method per request");
            }
            return withSecret(pair[0], pair[1], true);
        }
        if (formSecret != null) {
            return withSecret(formId, formSecret, false);
        }
        if (formId == null) {
            throw OAuthError.invalidClient("Client authentication is required", false);
        }
        Client client = clients.find(formId).orElseThrow(() -> OAuthError.invalidClient("Unknown client", false));
        if (!client.isPublic()) {
            throw OAuthError.invalidClient("This client must authenticate with its secret", false);
        }
        return client;
    }

    /** Like {@link #authenticate}, for endpoints a public client, which only names itself, may not use. */
    public Client authenticateConfidential(HttpHeaders headers, MultivaluedMap<String, String> form) {
        Client client = authenticate(headers, form);
        if (client.isPublic()) {
            throw OAuthError.invalidClient("This endpoint needs a confidential client", false);
        }
        return client;
    }

    private Client withSecret(String clientId, String secret, boolean basic) {
        if (clientId == null || secret == null) {
            throw OAuthError.invalidClient("Client authentication failed", basic);
        }
        // Unknown client and wrong secret look the same from outside.
        return clients.find(clientId)
                .filter(client -> client.secretMatches(TokenHash.of(secret).bytes(), clock.instant()))
                .orElseThrow(() -> OAuthError.invalidClient("Client authentication failed", basic));
    }

    /** RFC 6749 §2.3.1: client_id and secret are form-urlencoded before Basic encoding. */
    private static String[] basicPair(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw OAuthError.invalidClient("Malformed Basic credentials", true);
            }
            return new String[] {
                URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidClient("Malformed Basic credentials", true);
        }
    }
}
