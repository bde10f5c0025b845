package dev.gatehouse.oauth;

import dev.gatehouse.client.Client;
import java.util.List;

/** An authorization request that passed every check: what the person is asked to approve. */
public record AuthorizationRequest(
        Client client,
        String redirectUri,
        boolean redirectUriGiven,
        String state,
        List<String> scopes,
        String codeChallenge,
        String nonce,
        List<String> resources,
        java.util.Set<String> prompt) {

    /** OIDC {@code prompt=none}: no page may be shown; an answer that needs one is an error to the client. */
    public boolean silent() {
        return prompt.contains("none");
    }

    public String scope() {
        return String.join(" ", scopes);
    }
}
