package dev.gatehouse.pages;

import dev.gatehouse.account.SignedIn;
import dev.gatehouse.keys.SealedValues;
import dev.gatehouse.pat.ApiKeyView;
import dev.gatehouse.web.Cookies;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.NewCookie;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * A key just minted or rolled on the key page, carried from the POST to the page it redirects to
 * (post/redirect/get: a reload shows the list, it never mints again). It travels in a cookie sealed under the
 * deployment's key-encryption key (JWE {@code dir}/{@code A256GCM}, for this purpose only), so no node stores it and whichever node
 * serves the GET can open it. The GET shows it and clears the cookie. It opens only for the session that
 * minted it and only for {@link #LIFETIME}; after that the plaintext is gone for good, as after any showing.
 */
@ApplicationScoped
class ShownOnce {
    static final String COOKIE = "gatehouse_new_key";
    static final Duration LIFETIME = Duration.ofMinutes(2);
    /** Sealed for this and nothing else: the same key seals mails and signing keys, which this must never open. */
    private static final String PURPOSE = "shown-once";

    /** What the page shows of the new key, this once. */
    record NewKey(UUID id, String label, String rawKey) {
    }

    private final SealedValues sealed;
    private final Clock clock;

    ShownOnce(SealedValues sealed, Clock clock) {
        this.sealed = sealed;
        this.clock = clock;
    }

    /** The cookie that carries {@code created} (its plaintext included) to the person's next page. */
    NewCookie carry(SignedIn person, ApiKeyView created, HttpServerRequest request) {
        JsonObject fields = new JsonObject().put("account", person.accountId().toString())
                .put("session", person.session().id().toString())
                .put("id", created.id().toString()).put("label", created.label()).put("key", created.rawKey());
        return cookie(sealed.seal(PURPOSE, fields, clock.instant().plus(LIFETIME)), (int) LIFETIME.toSeconds(), request);
    }

    /** The key the request's cookie carries for this person, if it is theirs and still fresh. */
    Optional<NewKey> open(SignedIn person, HttpHeaders headers) {
        Cookie cookie = headers.getCookies().get(COOKIE);
        return sealed.open(PURPOSE, cookie == null ? null : cookie.getValue())
                .filter(shown -> person.accountId().toString().equals(shown.getString("account"))
                        && person.session().id().toString().equals(shown.getString("session")))
                .map(shown -> new NewKey(UUID.fromString(shown.getString("id")), shown.getString("label"), shown.getString("key")));
    }

    /** Clears the cookie, shown or not: the page that reads it is the only one that may. */
    NewCookie cleared(HttpServerRequest request) {
        return cookie("", 0, request);
    }

    private static NewCookie cookie(String value, int maxAgeSeconds, HttpServerRequest request) {
        return Cookies.httpOnly(COOKIE, value, ApiKeysPage.PATH, maxAgeSeconds, NewCookie.SameSite.STRICT, request);
    }
}
