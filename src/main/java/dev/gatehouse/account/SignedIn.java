package dev.gatehouse.account;

import dev.gatehouse.token.TokenRecord;
import java.util.UUID;

/** A person with a live session: who they are, and the token that proves it this request. */
public record SignedIn(UUID accountId, String email, String csrfToken, TokenRecord session) {
}
