package dev.gatehouse.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a full token string: the only form in which a secret is kept. A token has at least
 * 160 random bits, so a fast unsalted hash is enough: there is nothing to brute-force.
 */
public final class TokenHash {
    private static final MessageDigest PROTOTYPE;

    static {
        try {
            PROTOTYPE = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final byte[] bytes;

    private TokenHash(byte[] bytes) {
        this.bytes = bytes;
    }

    public static TokenHash of(String token) {
        return new TokenHash(digest().digest(token.getBytes(StandardCharsets.UTF_8)));
    }

    public static TokenHash ofHex(String hex) {
        return new TokenHash(HexFormat.of().parseHex(hex));
    }

    private static MessageDigest digest() {
        try {
            // Cloning the prototype skips the provider look-up on the hot path.
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Wraps bytes this package owns and will not change. */
    static TokenHash wrap(byte[] hash) {
        return new TokenHash(hash);
    }

    /** The bytes themselves, for this package's hot path: callers must not change them. */
    byte[] raw() {
        return bytes;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public String toString() {
        return "TokenHash[…]";
    }
}
