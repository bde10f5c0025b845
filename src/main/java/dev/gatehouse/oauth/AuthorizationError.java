package dev.gatehouse.oauth;

import dev.gatehouse.client.Client;

/**
 * A refused authorization request. Before the client and its redirect URI are trusted, the person sees an
 * error page and nothing is redirected (RFC 6749 §4.1.2.1, RFC 9700 §4.11); afterwards the error goes back
 * to the client's redirect URI with {@code state} and {@code iss} (RFC 9207).
 */
public class AuthorizationError extends RuntimeException {
    private final String code;
    private final String redirectUri;
    private final String state;
    /** The client whose redirect URI this error would go to; null until the request's client is known. */
    private final Client client;

    private AuthorizationError(String code, String description, String redirectUri, String state, Client client) {
        super(description, null, false, false);
        this.code = code;
        this.redirectUri = redirectUri;
        this.state = state;
        this.client = client;
    }

    /** This error, for {@code client}: whether it may be redirected depends on who vetted the client. */
    AuthorizationError of(Client client) {
        return new AuthorizationError(code, getMessage(), redirectUri, state, client);
    }

    Client client() {
        return client;
    }

    /** Shown on a page: the client or redirect URI cannot be trusted with a redirect. */
    static AuthorizationError page(String description) {
        return new AuthorizationError("invalid_request", description, null, null, null);
    }

    static AuthorizationError redirect(String code, String description, String redirectUri, String state) {
        return new AuthorizationError(code, description, redirectUri, state, null);
    }

    public String code() {
        return code;
    }

    public boolean redirects() {
        return redirectUri != null;
    }

    public String redirectUri() {
        return redirectUri;
    }

    public String state() {
        return state;
    }
}
