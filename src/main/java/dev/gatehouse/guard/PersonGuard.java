package dev.gatehouse.guard;

import dev.gatehouse.account.Sessions;
import dev.gatehouse.client.Clients;
import dev.gatehouse.oauth.OAuthConfig;
import dev.gatehouse.token.TokenKind;
import dev.gatehouse.token.TokenRecord;
import dev.gatehouse.web.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.UUID;

/**
 * The humans-only rule (seed 000): managing keys needs a signed-in person, either by dashboard session or
 * by a first-party client's JWT carrying the management scope. An API key is refused outright, even a
 * valid one, so a leaked key can never mint more keys.
 */
@ApplicationScoped
public class PersonGuard {
    private final Sessions sessions;
    private final CredentialReader credentials;
    private final ApiGuard api;
    private final Clients clients;
    private final String managementScope;
    private final BearerChallenge challenge;

    PersonGuard(Sessions sessions, CredentialReader credentials, ApiGuard api, Clients clients, OAuthConfig oauth,
            BearerChallenge challenge) {
        this.sessions = sessions;
        this.credentials = credentials;
        this.api = api;
        this.clients = clients;
        this.managementScope = oauth.managementScope();
        this.challenge = challenge;
    }

    /** The account of the person behind the request; throws 401 or 403 otherwise. */
    public UUID require(HttpHeaders headers) {
        String presented = credentials.presented(headers);
        if (presented != null) {
            TokenRecord token = api.live(presented)
                    .orElseThrow(() -> new ApiProblem(401, ApiGuard.INVALID_MESSAGE).header("WWW-Authenticate", challenge.invalidToken()));
            if (token.kind() != TokenKind.ACCESS) {
                throw ApiProblem.forbidden("API keys cannot manage API keys: sign in to the dashboard as a person");
            }
            if (token.accountId() == null || !token.hasScope(managementScope) || !firstParty(token.clientId())) {
                throw ApiProblem.forbidden("Managing API keys needs a first-party token with the scope " + managementScope)
                        .header("WWW-Authenticate", challenge.insufficientScope(managementScope));
            }
            return token.accountId();
        }
        return sessions.current(headers).map(person -> person.accountId())
                .orElseThrow(() -> new ApiProblem(401, "Sign in to manage API keys").header("WWW-Authenticate", challenge.missing()));
    }

    private boolean firstParty(String clientId) {
        return clientId != null && clients.find(clientId).map(client -> client.firstParty()).orElse(false);
    }
}
