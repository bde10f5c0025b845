package dev.gatehouse.web;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.NewCookie;

/**
 * The one way Gatehouse sets a cookie: HttpOnly always, Secure unless the request came over plain HTTP to
 * localhost (where a browser would refuse a Secure cookie), on the narrowest path that reads it.
 * A max age of 0 clears it.
 */
public final class Cookies {
    private Cookies() {
    }

    public static NewCookie httpOnly(String name, String value, String path, int maxAgeSeconds, NewCookie.SameSite sameSite,
            HttpServerRequest request) {
        return new NewCookie.Builder(name).value(value).path(path).maxAge(maxAgeSeconds).httpOnly(true)
                .secure(!RequestOrigin.isPlainLocalhost(request)).sameSite(sameSite).build();
    }
}
