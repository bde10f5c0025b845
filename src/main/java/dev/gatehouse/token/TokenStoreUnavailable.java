package dev.gatehouse.token;

/** PostgreSQL could not answer a token lookup. Callers answer "try again", never with the cause's details. */
public final class TokenStoreUnavailable extends RuntimeException {
    public TokenStoreUnavailable(Throwable cause) {
        super("the token store is unavailable", cause);
    }
}
