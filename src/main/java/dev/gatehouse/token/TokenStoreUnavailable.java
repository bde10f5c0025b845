package dev.gatehouse.token;

import dev.gatehouse.outcome.StoreUnavailable;

/** PostgreSQL could not answer a token lookup. Callers answer "try again", never with the cause's details. */
public final class TokenStoreUnavailable extends StoreUnavailable {
    public TokenStoreUnavailable(Throwable cause) {
        super("the token store", cause);
    }
}
