package dev.gatehouse.account;

import dev.gatehouse.token.TokenRecord;
import dev.gatehouse.web.RequestOrigin;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.UUID;

/** A person with a live session: who they are, and the token that proves it this request. */
public record SignedIn(UUID accountId, String email, String csrfToken, TokenRecord session) {
    /** A form this person really sent: it carries their session's CSRF token and came from this site. */
    public boolean sentForm(String csrf, HttpServerRequest request) {
        return csrf != null && !RequestOrigin.isCrossSite(request) && MessageDigest.isEqual(
                csrf.getBytes(StandardCharsets.UTF_8), csrfToken.getBytes(StandardCharsets.UTF_8));
    }
}
