package dev.gatehouse.usage;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signing per the Standard Webhooks convention (standardwebhooks.com): the secret is {@code whsec_} +
 * base64, the signature {@code v1,} + base64(HMAC-SHA256(secret, id + "." + timestamp + "." + body)).
 */
final class StandardWebhook {
    private static final String SECRET_PREFIX = "whsec_";
    /** Standard Webhooks secrets are 24 to 64 bytes; fewer than 16 would be guessable. */
    private static final int MIN_SECRET_BYTES = 16;

    private final byte[] secret;

    private StandardWebhook(byte[] secret) {
        this.secret = secret;
    }

    /** @throws IllegalArgumentException when the secret is not {@code whsec_} + base64 of at least 16 bytes (the message never quotes it) */
    static StandardWebhook withSecret(String configured) {
        String value = configured == null ? "" : configured.strip();
        if (!value.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("the webhook secret must start with " + SECRET_PREFIX);
        }
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(value.substring(SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the webhook secret must be " + SECRET_PREFIX + " followed by base64");
        }
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the webhook secret must hold at least " + MIN_SECRET_BYTES + " bytes");
        }
        return new StandardWebhook(secret);
    }

    /** The {@code webhook-signature} header's value for this message. */
    String sign(String id, long timestampSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] signature = mac.doFinal((id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "StandardWebhook[secret hidden]";
    }
}
