package dev.gatehouse.oauth;

import jakarta.ws.rs.core.Response;

/** Answers that carry tokens are never cached (RFC 6749 §5.1). */
public final class NoStore {
    private NoStore() {
    }

    public static Response ok(Object body) {
        return status(200, body);
    }

    public static Response status(int status, Object body) {
        return Response.status(status).type("application/json;charset=UTF-8").entity(body)
                .header("Cache-Control", "no-store").header("Pragma", "no-cache").build();
    }
}
