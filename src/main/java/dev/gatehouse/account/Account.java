package dev.gatehouse.account;

import java.time.Instant;
import java.util.UUID;

/** A person who signs in. Carries no password material. {@code disabledAt}: when an operator disabled it, or null. */
public record Account(UUID id, String email, Instant createdAt, Instant disabledAt) {
    public boolean disabled() {
        return disabledAt != null;
    }
}
