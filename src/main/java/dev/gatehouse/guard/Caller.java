package dev.gatehouse.guard;

import dev.gatehouse.token.TokenRecord;
import java.util.UUID;

/** Who is calling an API, established by {@link ApiGuard}. */
public record Caller(TokenRecord credential) {
    public UUID accountId() {
        return credential.accountId();
    }
}
