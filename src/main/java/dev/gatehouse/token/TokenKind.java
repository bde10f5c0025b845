package dev.gatehouse.token;


/** What a token in the one store is for. Stored as the lower-case names the schema checks. */
public enum TokenKind implements ColumnValue {
    SESSION("session"),
    API_KEY("api_key"),
    REFRESH("refresh"),
    ACCESS("access"),
    AUTHORIZATION_CODE("authorization_code"),
    AGENT("agent"),
    /** The secret of an emailed password-reset link: single use, short-lived (issue 12). */
    PASSWORD_RESET("password_reset"),
    /**
     * The secret of an emailed link that confirms linking an upstream sign-in to the account with its email:
     * single use, short-lived (issue 12).
     */
    UPSTREAM_LINK("upstream_link");

    private final String column;

    TokenKind(String column) {
        this.column = column;
    }

    @Override
    public String column() {
        return column;
    }

    /**
     * Presented once, then used up (a code, a refresh token being rotated, an emailed link): not worth a cache entry when
     * issued. Under load the exchanges would fill the cache, and the heap, with tokens read once.
     */
    public boolean singleUse() {
        return this == AUTHORIZATION_CODE || this == REFRESH || this == PASSWORD_RESET || this == UPSTREAM_LINK;
    }

    public static TokenKind fromColumn(String value) {
        return ColumnValue.fromColumn(TokenKind.class, value);
    }
}
