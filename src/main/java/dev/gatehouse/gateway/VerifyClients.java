package dev.gatehouse.gateway;

import dev.gatehouse.client.Client;
import dev.gatehouse.client.Clients;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Seeds, at every start, the verify API's clients from {@code gatehouse.verify.clients}: confidential
 * clients (HTTP Basic) whose only scope is {@value VerifyResource#SCOPE} and which may use no grant, so
 * the secret opens nothing but key verification (and introspection, as for every confidential client).
 */
@ApplicationScoped
class VerifyClients {
    private static final Logger LOG = Logger.getLogger(VerifyClients.class);
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._~-]{1,100}");

    void seed(@Observes StartupEvent event, VerifyConfig config, Clients clients) {
        for (var entry : config.clients().entrySet()) {
            String id = entry.getKey();
            String hash = entry.getValue().secretSha256().strip();
            if (!CLIENT_ID.matcher(id).matches()) {
                throw new IllegalStateException("gatehouse.verify.clients: '" + id + "' is not a valid client id (letters, digits, . _ ~ -)");
            }
            if (!SHA256_HEX.matcher(hash).matches()) {
                throw new IllegalStateException("gatehouse.verify.clients.\"" + id + "\".secret-sha256 must be the 64 hex digits of "
                        + "the secret's SHA-256 (printf %s \"$SECRET\" | sha256sum), not the secret");
            }
            byte[] secretHash = HexFormat.of().parseHex(hash.toLowerCase(java.util.Locale.ROOT));
            QuarkusTransaction.requiringNew().run(() -> clients.saveHashed(id, entry.getValue().name().orElse(id), secretHash,
                    Client.SECRET_BASIC, List.of(), List.of(), List.of(VerifyResource.SCOPE), false, false, "seeded", Map.of()));
        }
        if (!config.clients().isEmpty()) {
            LOG.infof("Verify API clients seeded: %s", String.join(", ", config.clients().keySet()));
        }
    }
}
