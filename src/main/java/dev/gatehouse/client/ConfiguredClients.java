package dev.gatehouse.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.token.TokenStore;
import dev.gatehouse.oauth.OAuthConfig;
import dev.gatehouse.oauth.OAuthError;
import dev.gatehouse.scope.ScopeCatalogue;
import dev.gatehouse.token.TokenHash;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Seeds, at every start, the clients of {@code gatehouse.clients."<client-id>".*} (Hydra #3478 asks for
 * clients kept in Git). They pass the admin API's checks ({@link ClientMetadata.Rules#operators}); a client
 * that does not stops the start with the reason, rather than run half-configured. The admin API can read
 * them but not change them (the next start would undo it).
 */
@ApplicationScoped
class ConfiguredClients {
    private static final Logger LOG = Logger.getLogger(ConfiguredClients.class);
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._~-]{1,100}");
    private static final ObjectMapper JSON = new ObjectMapper();

    void seed(@Observes StartupEvent event, ClientsConfig config, Clients clients, TokenStore tokens, ScopeCatalogue catalogue,
            OAuthConfig oauth, Config everything) {
        ClientMetadata.Rules rules = ClientMetadata.Rules.operators(catalogue, oauth);
        List<Client> configured = config.all().entrySet().stream()
                .map(entry -> client(entry.getKey(), entry.getValue(), rules, everything)).toList();
        QuarkusTransaction.requiringNew().run(() -> {
            configured.forEach(clients::store);
            // Taken out of configuration: gone, with what it held, as if an operator deleted it.
            for (String gone : clients.idsOfOrigin("configured")) {
                if (!config.all().containsKey(gone)) {
                    tokens.revokeClientTokens(gone);
                    clients.delete(gone);
                    LOG.infof("Client %s is no longer in configuration: deleted", gone);
                }
            }
        });
        if (!config.all().isEmpty()) {
            LOG.infof("Clients from configuration seeded: %s", String.join(", ", config.all().keySet()));
        }
    }

    /** The client that configuration describes, checked as the admin API checks one; throws with the reason. */
    static Client client(String id, ClientsConfig.Configured configured, ClientMetadata.Rules rules, Config everything) {
        String where = "gatehouse.clients.\"" + id + "\"";
        if (!CLIENT_ID.matcher(id).matches()) {
            throw new IllegalStateException("gatehouse.clients: '" + id + "' is not a valid client id (letters, digits, . _ ~ -)");
        }
        ObjectNode metadata = JSON.createObjectNode();
        metadata.put("client_name", configured.name().orElse(id));
        metadata.put("token_endpoint_auth_method", configured.tokenEndpointAuthMethod());
        configured.redirectUris().ifPresent(uris -> uris.forEach(metadata.putArray("redirect_uris")::add));
        configured.grantTypes().forEach(metadata.putArray("grant_types")::add);
        configured.scopes().ifPresent(scopes -> metadata.put("scope", String.join(" ", scopes)));
        metadata.put("skip_consent", configured.skipConsent());
        configured.accessTokenLifetime().ifPresent(lifetime -> metadata.put("access_token_lifetime", lifetime.toSeconds()));
        configured.refreshTokenLifetime().ifPresent(lifetime -> metadata.put("refresh_token_lifetime", lifetime.toSeconds()));
        ClientMetadata checked;
        try {
            checked = ClientMetadata.read(metadata, rules);
        } catch (OAuthError e) {
            throw new IllegalStateException(where + ": " + e.getMessage());
        }
        byte[] secretHash = secretHash(where, configured, !Client.NONE.equals(checked.authMethod()), everything);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return Client.of(id, checked, secretHash, "configured", now);
    }

    private static byte[] secretHash(String where, ClientsConfig.Configured configured, boolean confidential, Config everything) {
        if (!confidential) {
            if (configured.secretSha256().isPresent() || configured.secretEnv().isPresent()) {
                throw new IllegalStateException(where + " is public (token-endpoint-auth-method=none) and takes no secret");
            }
            return null;
        }
        if (configured.secretSha256().isPresent() == configured.secretEnv().isPresent()) {
            throw new IllegalStateException(where + " needs exactly one of secret-sha256 (the secret's SHA-256) and secret-env "
                    + "(the environment variable holding the secret)");
        }
        if (configured.secretSha256().isPresent()) {
            String hash = configured.secretSha256().get().strip();
            if (!SHA256_HEX.matcher(hash).matches()) {
                throw new IllegalStateException(where + ".secret-sha256 must be the 64 hex digits of the secret's SHA-256 "
                        + "(printf %s \"$SECRET\" | sha256sum), not the secret");
            }
            return HexFormat.of().parseHex(hash.toLowerCase(Locale.ROOT));
        }
        String variable = configured.secretEnv().get();
        String secret = everything.getOptionalValue(variable, String.class).orElseThrow(() -> new IllegalStateException(
                where + ".secret-env names " + variable + ", which is not set"));
        if (secret.length() < 22) {
            throw new IllegalStateException(where + ": the secret in " + variable + " is too short to be random (22 characters at least)");
        }
        return TokenHash.of(secret).bytes();
    }
}
