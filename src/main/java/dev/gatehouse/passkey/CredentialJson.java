package dev.gatehouse.passkey;

import dev.gatehouse.outcome.Rejection;
import dev.gatehouse.web.ApiProblem;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.core.Response;

/** What the pages' script posts: an authenticator's answer, as JSON; and the JSON refusals it shows. */
final class CredentialJson {
    /** A credential's JSON is a few KiB; anything much larger is not one. */
    private static final int MAX_LENGTH = 16 * 1024;

    private CredentialJson() {
    }

    static JsonObject parse(String body) {
        if (body == null || body.isBlank() || body.length() > MAX_LENGTH) {
            throw Rejection.invalid("The body must be the authenticator's answer, as JSON");
        }
        try {
            return new JsonObject(body);
        } catch (DecodeException | ClassCastException e) {
            throw Rejection.invalid("The body must be the authenticator's answer, as JSON");
        }
    }

    static Response refused(RuntimeException refusal) {
        return ApiProblem.from(refusal).toResponse();
    }
}
