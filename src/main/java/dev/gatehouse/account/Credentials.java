package dev.gatehouse.account;

import dev.gatehouse.outcome.Rejection;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Email and password, as a JSON body to {@code /signup} and {@code /login}. */
@RegisterForReflection
public record Credentials(String email, String password) {
    /** The body, or a 400 when there was none. */
    static Credentials require(Credentials body) {
        if (body == null) {
            throw Rejection.invalid("The request body must be a JSON object with email and password");
        }
        return body;
    }

    @Override
    public String toString() {
        return "Credentials[email=" + email + ", password=…]";
    }
}
