package dev.gatehouse.account;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Email and password, as a JSON body to {@code /signup} and {@code /login}. */
@RegisterForReflection
public record Credentials(String email, String password) {
    @Override
    public String toString() {
        return "Credentials[email=" + email + ", password=…]";
    }
}
