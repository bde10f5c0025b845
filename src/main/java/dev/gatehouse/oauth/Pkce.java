package dev.gatehouse.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

/** RFC 7636 verification, S256 only. */
public final class Pkce {
    /** §4.1: 43 to 128 unreserved characters. */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

    private Pkce() {
    }

    /**
     * The token request's verifier must hash to the stored challenge. A verifier without a stored challenge
     * is a downgrade attempt and is refused too (RFC 9700 §2.1.1).
     */
    public static void checkVerifier(String challenge, String verifier) {
        if (challenge == null) {
            throw verifier == null ? OAuthError.invalidGrant("This code was issued without PKCE")
                    : OAuthError.invalidGrant("code_verifier sent, but the authorization request had no code_challenge");
        }
        if (verifier == null) {
            throw OAuthError.invalidGrant("code_verifier is required");
        }
        if (!VERIFIER.matcher(verifier).matches()) {
            throw OAuthError.invalidGrant("code_verifier must be 43 to 128 unreserved characters");
        }
        if (!MessageDigest.isEqual(s256(verifier).getBytes(StandardCharsets.US_ASCII), challenge.getBytes(StandardCharsets.US_ASCII))) {
            throw OAuthError.invalidGrant("code_verifier does not match the code_challenge");
        }
    }

    public static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
