package dev.gatehouse.verification;

import dev.gatehouse.token.TokenRecord;

/**
 * The outcome of the pipeline: {@code VALID} with the token, or the first check that refused, with a
 * message a caller may read (never the credential itself) and, for scope refusals, the scope wanted.
 */
public record Verification(VerificationCode code, TokenRecord token, String message, String scope) {

    static Verification valid(TokenRecord token) {
        return new Verification(VerificationCode.VALID, token, null, null);
    }

    static Verification refused(VerificationCode code, String message) {
        return new Verification(code, null, message, null);
    }

    static Verification refused(VerificationCode code, TokenRecord token, String message) {
        return new Verification(code, token, message, null);
    }

    public boolean isValid() {
        return code == VerificationCode.VALID;
    }
}
