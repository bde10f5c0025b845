package dev.gatehouse.guard;

import dev.gatehouse.account.Sessions;
import dev.gatehouse.account.SignedIn;
import dev.gatehouse.web.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * The humans-only rule (seed 000): managing keys needs a signed-in person. An API key is refused
 * outright, even a valid one, so a leaked key can never mint more keys.
 */
@ApplicationScoped
public class PersonGuard {
    private final Sessions sessions;
    private final CredentialReader credentials;

    PersonGuard(Sessions sessions, CredentialReader credentials) {
        this.sessions = sessions;
        this.credentials = credentials;
    }

    public SignedIn require(HttpHeaders headers) {
        if (credentials.offersApiCredential(headers)) {
            throw ApiProblem.forbidden("API keys cannot manage API keys: sign in to the dashboard as a person");
        }
        return sessions.current(headers).orElseThrow(() -> new ApiProblem(401, "Sign in to manage API keys")
                .header("WWW-Authenticate", BearerChallenge.missing()));
    }
}
