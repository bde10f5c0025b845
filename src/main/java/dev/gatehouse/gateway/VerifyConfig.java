package dev.gatehouse.gateway;

import io.smallrye.config.ConfigMapping;
import java.util.Map;
import java.util.Optional;

/**
 * {@code gatehouse.verify.clients."<client-id>".*}: the confidential clients allowed to call the verify API,
 * until an admin API creates them. Only the secret's SHA-256 is configured, so the secret itself is never
 * at rest on Gatehouse's side (it must be random, 128 bits or more: an unsalted hash protects nothing else).
 */
@ConfigMapping(prefix = "gatehouse.verify")
public interface VerifyConfig {
    Map<String, VerifyClient> clients();

    interface VerifyClient {
        /** Hex SHA-256 of the client secret: {@code printf %s "$SECRET" | sha256sum}. */
        String secretSha256();

        /** A display name; the client id when absent. */
        Optional<String> name();
    }
}
