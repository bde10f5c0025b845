package dev.gatehouse.pat;

import dev.gatehouse.scope.ScopeCatalogue;
import dev.gatehouse.token.Environment;
import dev.gatehouse.token.NewToken;
import dev.gatehouse.token.TokenKind;
import dev.gatehouse.token.TokenRecord;
import dev.gatehouse.token.TokenStore;
import dev.gatehouse.web.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Minting, listing, relabelling and revoking a person's API keys. Each request is checked by named
 * steps before anything is stored, so a refused request changes nothing.
 */
@ApplicationScoped
public class ApiKeys {
    private static final Logger LOG = Logger.getLogger(ApiKeys.class);
    /** Keys a person holds: minted by them, or claimed from an agent. */
    private static final List<TokenKind> KINDS = List.of(TokenKind.API_KEY, TokenKind.AGENT);

    private final TokenStore store;
    private final ApiKeyFormat format;
    private final ScopeCatalogue catalogue;
    private final int labelMaxLength;

    ApiKeys(TokenStore store, ApiKeyFormat format, ScopeCatalogue catalogue, ApiKeyConfig config) {
        this.store = store;
        this.format = format;
        this.catalogue = catalogue;
        this.labelMaxLength = config.labelMaxLength();
    }

    /** Mints a key. The answer is the only place its plaintext ever appears. */
    public ApiKeyView mint(UUID accountId, ApiKeyRequests.Create request) {
        if (request == null) {
            throw ApiProblem.badRequest("The request body must be a JSON object with label and scopes");
        }
        String label = checkLabel(request.label());
        List<String> scopes = checkScopes(request.scopes());
        Instant expiresAt = checkExpiry(request.expiresAt());
        Environment environment = checkEnvironment(request.environment());

        ApiKeyFormat.MintedKey key = format.mint(environment);
        var token = store.issue(key.plaintext(), NewToken.of(TokenKind.API_KEY, accountId)
                .withDisplay(key.displayPrefix(), key.preview())
                .withLabel(label)
                .withScopes(scopes)
                .withEnvironment(environment)
                .expiringAt(expiresAt));
        LOG.infof("API key %s (%s) minted for account %s with scopes %s", token.id(), key.displayPrefix(), accountId, scopes);
        return ApiKeyView.of(token, store.now()).withRawKey(key.plaintext());
    }

    /** The person's keys, newest first: those they minted and those of agents they claimed. */
    public List<ApiKeyView> list(UUID accountId) {
        Instant now = store.now();
        return KINDS.stream().flatMap(kind -> store.listOwned(accountId, kind).stream())
                .sorted(java.util.Comparator.comparing(TokenRecord::createdAt).reversed())
                .map(token -> ApiKeyView.of(token, now)).toList();
    }

    public ApiKeyView get(UUID accountId, UUID id) {
        return ApiKeyView.of(owned(accountId, id), store.now());
    }

    /** Which of the person's kinds this key is, or 404 when it is not theirs. */
    private TokenRecord owned(UUID accountId, UUID id) {
        return KINDS.stream().map(kind -> store.findOwned(accountId, kind, id)).flatMap(java.util.Optional::stream)
                .findFirst().orElseThrow(ApiKeys::noSuchKey);
    }

    /** Changes the label; scopes, expiry and environment are immutable (seed 001). */
    public ApiKeyView update(UUID accountId, UUID id, ApiKeyRequests.Update request) {
        if (request == null) {
            throw ApiProblem.badRequest("The request body must be a JSON object with a label");
        }
        if (request.scopes() != null) {
            throw ApiProblem.badRequest("scopes are immutable: revoke this key and create a new one with the scopes you need");
        }
        if (request.expiresAt() != null || request.environment() != null) {
            throw ApiProblem.badRequest("Only the label of a key can change");
        }
        String label = checkLabel(request.label());
        return store.relabel(accountId, owned(accountId, id).kind(), id, label)
                .map(token -> ApiKeyView.of(token, store.now()))
                .orElseThrow(ApiKeys::noSuchKey);
    }

    /** Revokes at once; revoking a revoked key is a no-op. */
    public void revoke(UUID accountId, UUID id) {
        var revoked = store.revokeOwned(accountId, owned(accountId, id).kind(), id).orElseThrow(ApiKeys::noSuchKey);
        LOG.infof("API key %s (%s) revoked by account %s", revoked.id(), revoked.displayPrefix(), accountId);
    }

    private String checkLabel(String label) {
        if (label == null || label.isBlank()) {
            throw ApiProblem.badRequest("label is required");
        }
        String trimmed = label.strip();
        if (trimmed.codePointCount(0, trimmed.length()) > labelMaxLength) {
            throw ApiProblem.badRequest("label must be at most " + labelMaxLength + " characters");
        }
        if (trimmed.chars().anyMatch(Character::isISOControl)) {
            throw ApiProblem.badRequest("label must not contain control characters");
        }
        return trimmed;
    }

    private List<String> checkScopes(List<String> scopes) {
        if (scopes == null || scopes.isEmpty()) {
            throw ApiProblem.badRequest("scopes must name at least one scope");
        }
        if (scopes.contains(null)) {
            throw ApiProblem.badRequest("scopes must be strings");
        }
        List<String> unknown = catalogue.unknown(scopes);
        if (!unknown.isEmpty()) {
            throw ApiProblem.badRequest("Unknown scope" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + "; known scopes: " + String.join(", ", catalogue.describe().keySet()));
        }
        return List.copyOf(new LinkedHashSet<>(scopes));
    }

    private Instant checkExpiry(Instant expiresAt) {
        if (expiresAt != null && !expiresAt.isAfter(store.now())) {
            throw ApiProblem.badRequest("expiresAt must be in the future");
        }
        return expiresAt;
    }

    private static Environment checkEnvironment(String environment) {
        if (environment == null) {
            return Environment.LIVE;
        }
        return Environment.parse(environment)
                .orElseThrow(() -> ApiProblem.badRequest("environment must be live or test"));
    }

    private static ApiProblem noSuchKey() {
        return ApiProblem.notFound("No such API key");
    }
}
