package dev.gatehouse.token;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.util.Base64;

/** Opaque secrets (sessions, CSRF tokens): 256 random bits, base64url. API keys have their own format. */
@ApplicationScoped
public class SecretGenerator {
    private final SecureRandom random = new SecureRandom();

    public String opaque() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
