package dev.gatehouse.account;

import dev.gatehouse.token.NewToken;
import dev.gatehouse.token.SecretGenerator;
import dev.gatehouse.token.TokenKind;
import dev.gatehouse.token.TokenStore;
import dev.gatehouse.web.Cookies;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.NewCookie;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Dashboard sessions: an opaque token in an HttpOnly, SameSite=Lax cookie, stored as a {@code session}
 * in the token store like every other credential. Lax (not Strict) so that a person who follows a link
 * into Gatehouse, such as an OAuth authorization request, arrives signed in.
 */
@ApplicationScoped
public class Sessions {
    /** Domain separation: the CSRF token is a hash of the session secret, never the hash the store keeps. */
    private static final String CSRF_CONTEXT = "gatehouse session csrf\0";

    private final TokenStore store;
    private final SecretGenerator secrets;
    private final AccountConfig.Session config;

    private final Accounts accounts;

    Sessions(TokenStore store, SecretGenerator secrets, AccountConfig config, Accounts accounts) {
        this.accounts = accounts;
        this.store = store;
        this.secrets = secrets;
        this.config = config.session();
    }

    /** Starts a session and returns the cookie that carries it. */
    public NewCookie start(Account account, HttpServerRequest request) {
        String secret = secrets.opaque();
        store.issue(secret, NewToken.of(TokenKind.SESSION, account.id()).expiringAt(store.now().plus(config.lifetime())));
        return cookie(secret, (int) config.lifetime().toSeconds(), request);
    }

    /** The signed-in person, if the request carries a live session cookie. */
    public Optional<SignedIn> current(HttpHeaders headers) {
        Optional<String> secret = cookieValue(headers);
        return secret.flatMap(store::findActive)
                .filter(token -> token.kind() == TokenKind.SESSION)
                .flatMap(token -> accounts.find(token.accountId()).filter(account -> account.disabledAt() == null)
                        .map(account -> new SignedIn(token.accountId(), account.email(), csrfToken(secret.get()), token)));
    }

    /**
     * The session's CSRF token (synchronizer token, derived): a hash of the cookie's secret, so every node can
     * check a form without storing anything, a page that shows it gives nothing that signs anyone in, and it
     * ends with the session.
     */
    private static String csrfToken(String sessionSecret) {
        return dev.gatehouse.token.TokenHash.of(CSRF_CONTEXT + sessionSecret).hex();
    }

    /** One of a person's live sessions, as their security page lists it. */
    public record Listed(UUID id, Instant createdAt, Instant expiresAt) {
    }

    /** A person's live sessions, newest first. */
    public List<Listed> live(UUID accountId) {
        Instant now = store.now();
        return store.listOwned(accountId, TokenKind.SESSION).stream().filter(session -> session.isActiveAt(now))
                .map(session -> new Listed(session.id(), session.createdAt(), session.expiresAt())).toList();
    }

    /** Ends one of a person's sessions, at once on every node; false when it is not theirs. */
    public boolean endOne(UUID accountId, UUID sessionId) {
        return store.revokeOwned(accountId, TokenKind.SESSION, sessionId).isPresent();
    }

    /** Ends the session the request carries, if any, and returns a cookie that clears it. */
    public NewCookie end(HttpHeaders headers, HttpServerRequest request) {
        cookieValue(headers).ifPresent(store::revoke);
        return cookie("", 0, request);
    }

    private Optional<String> cookieValue(HttpHeaders headers) {
        Cookie cookie = headers.getCookies().get(config.cookieName());
        return cookie == null || cookie.getValue().isBlank() ? Optional.empty() : Optional.of(cookie.getValue());
    }

    private NewCookie cookie(String value, int maxAgeSeconds, HttpServerRequest request) {
        return Cookies.httpOnly(config.cookieName(), value, "/", maxAgeSeconds, NewCookie.SameSite.LAX, request);
    }
}
