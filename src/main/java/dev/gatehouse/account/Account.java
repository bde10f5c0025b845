package dev.gatehouse.account;

import java.time.Instant;
import java.util.UUID;

/** A person who signs in. Carries no password material. */
public record Account(UUID id, String email, Instant createdAt) {
}
