package dev.gatehouse.pat;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.outcome.Rejection;
import dev.gatehouse.scope.ScopeCatalogue;
import dev.gatehouse.token.Environment;
import dev.gatehouse.token.IpAllowlist;
import dev.gatehouse.token.NewToken;
import dev.gatehouse.token.TokenKind;
import dev.gatehouse.token.TokenRecord;
import dev.gatehouse.token.TokenStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Minting, listing, changing, rolling and revoking a person's API keys. Each request is checked by named
 * steps before anything is stored, so a refused request changes nothing.
 */
@ApplicationScoped
public class ApiKeys {
    private static final Logger LOG = Logger.getLogger(ApiKeys.class);
    /** Keys a person holds: minted by them, or claimed from an agent. */
    private static final List<TokenKind> KINDS = List.of(TokenKind.API_KEY, TokenKind.AGENT);
    /** PostgreSQL's timestamps end in year 294276; keys never need to outlive year 9999. */
    private static final Instant LATEST_EXPIRY = Instant.parse("9999-12-31T23:59:59Z");

    private final TokenStore store;
    private final ApiKeyFormat format;
    private final ScopeCatalogue catalogue;
    private final ApiKeyConfig config;

    private final AuditLog audit;

    ApiKeys(TokenStore store, ApiKeyFormat format, ScopeCatalogue catalogue, ApiKeyConfig config, AuditLog audit) {
        this.audit = audit;
        this.store = store;
        this.format = format;
        this.catalogue = catalogue;
        this.config = config;
    }

    /** Mints a key. The answer is the only place its plaintext ever appears. */
    public ApiKeyView mint(UUID accountId, ApiKeyRequests.Create request) {
        if (request == null) {
            throw Rejection.invalid("The request body must be a JSON object with label and scopes");
        }
        String label = checkLabel(request.label());
        List<String> scopes = checkScopes(request.scopes());
        Instant expiresAt = checkExpiry(request.expiresAt());
        Environment environment = checkEnvironment(request.environment());
        IpAllowlist allowlist = checkIpAllowlist(request.ipAllowlist());

        ApiKeyFormat.MintedKey key = format.mint(environment);
        var token = store.issue(key.plaintext(), NewToken.of(TokenKind.API_KEY, accountId)
                .withDisplay(key.displayPrefix(), key.preview())
                .withLabel(label)
                .withScopes(scopes)
                .withEnvironment(environment)
                .expiringAt(expiresAt)
                .withIpAllowlist(allowlist));
        LOG.infof("API key %s (%s) minted for account %s with scopes %s", token.id(), key.displayPrefix(), accountId, scopes);
        audit.record(AuditEvent.Type.API_KEY_MINTED, audit.actingFor(accountId), accountId, token.id().toString(),
                Map.of("key", key.displayPrefix(), "scopes", scopes));
        return ApiKeyView.of(token, null, store.now()).withRawKey(key.plaintext());
    }

    /** The person's keys, newest first: those they minted and those of agents they claimed. */
    public List<ApiKeyView> list(UUID accountId) {
        Instant now = store.now();
        List<TokenRecord> tokens = KINDS.stream().flatMap(kind -> store.listOwned(accountId, kind).stream())
                .sorted(Comparator.comparing(TokenRecord::createdAt).reversed()).toList();
        Map<UUID, UUID> successors = new HashMap<>();
        tokens.stream().filter(token -> token.replaces() != null).forEach(token -> successors.put(token.replaces(), token.id()));
        return tokens.stream().map(token -> ApiKeyView.of(token, successors.get(token.id()), now)).toList();
    }

    public ApiKeyView get(UUID accountId, UUID id) {
        return view(owned(accountId, id));
    }

    /** Which of the person's kinds this key is, or "not found" when it is not theirs. */
    private TokenRecord owned(UUID accountId, UUID id) {
        return KINDS.stream().map(kind -> store.findOwned(accountId, kind, id)).flatMap(Optional::stream)
                .findFirst().orElseThrow(ApiKeys::noSuchKey);
    }

    /** Changes the label and/or the IP allowlist; scopes, expiry and environment are immutable (seed 001). */
    public ApiKeyView update(UUID accountId, UUID id, ApiKeyRequests.Update request) {
        if (request == null) {
            throw Rejection.invalid("The request body must be a JSON object with a label or an ipAllowlist");
        }
        if (request.scopes() != null) {
            throw Rejection.invalid("scopes are immutable: revoke this key and create a new one with the scopes you need");
        }
        if (request.expiresAt() != null || request.environment() != null) {
            throw Rejection.invalid("Only the label and the IP allowlist of a key can change");
        }
        if (request.label() == null && request.ipAllowlist() == null) {
            throw Rejection.invalid("Send a label, an ipAllowlist, or both");
        }
        String label = request.label() == null ? null : checkLabel(request.label());
        IpAllowlist allowlist = request.ipAllowlist() == null ? null : checkIpAllowlist(request.ipAllowlist());
        TokenRecord updated = store.amendOwned(accountId, owned(accountId, id).kind(), id, new TokenStore.Amendment(label, allowlist))
                .orElseThrow(ApiKeys::noSuchKey);
        if (allowlist != null) {
            LOG.infof("API key %s (%s) IP allowlist set to %s by account %s", id, updated.displayPrefix(), allowlist, accountId);
        }
        return view(updated);
    }

    /**
     * Rolls a key (seeds 000 and 002): a successor with the same scopes, label, environment, IP allowlist
     * and expiry, shown once; the old key keeps working for the grace period, so there is no gap in access.
     */
    public ApiKeyView roll(UUID accountId, UUID id, ApiKeyRequests.Roll request) {
        Duration grace = checkGracePeriod(request == null ? null : request.gracePeriodSeconds());
        TokenRecord old = owned(accountId, id);
        ApiKeyFormat.MintedKey key = format.mint(old.environment() == null ? Environment.LIVE : old.environment());
        TokenStore.Rolled rolled;
        try {
            rolled = store.rollOwned(accountId, old.kind(), id, key.plaintext(), key.displayPrefix(), key.preview(),
                    store.now().plus(grace)).orElseThrow(ApiKeys::noSuchKey);
        } catch (IllegalStateException e) {
            throw Rejection.conflict(e.getMessage());
        }
        LOG.infof("API key %s (%s) rolled by account %s into %s (%s); the old one stops at %s", id, old.displayPrefix(),
                accountId, rolled.successor().id(), key.displayPrefix(), grace.isZero() ? "once" : rolled.predecessor().expiresAt());
        audit.record(AuditEvent.Type.API_KEY_ROLLED, audit.actingFor(accountId), accountId, id.toString(),
                Map.of("key", String.valueOf(old.displayPrefix()), "successor", rolled.successor().id().toString(),
                        "grace_seconds", grace.toSeconds()));
        return ApiKeyView.of(rolled.successor(), null, store.now()).withRawKey(key.plaintext());
    }

    /** Revokes at once; revoking a revoked key is a no-op. */
    public void revoke(UUID accountId, UUID id) {
        var revoked = store.revokeOwned(accountId, owned(accountId, id).kind(), id).orElseThrow(ApiKeys::noSuchKey);
        LOG.infof("API key %s (%s) revoked by account %s", revoked.id(), revoked.displayPrefix(), accountId);
        audit.record(AuditEvent.Type.API_KEY_REVOKED, audit.actingFor(accountId), accountId, revoked.id().toString(),
                Map.of("key", String.valueOf(revoked.displayPrefix())));
    }

    /** Revokes every live key of the account (an operator's call); returns how many. */
    public int revokeAll(UUID accountId) {
        Instant now = store.now();
        int revoked = 0;
        for (TokenRecord token : KINDS.stream().flatMap(kind -> store.listOwned(accountId, kind).stream()).toList()) {
            if (token.revokedAt() == null && (token.expiresAt() == null || token.expiresAt().isAfter(now))
                    && store.revokeOwned(accountId, token.kind(), token.id()).isPresent()) {
                revoked++;
                audit.record(AuditEvent.Type.API_KEY_REVOKED, audit.actingFor(accountId), accountId, token.id().toString(),
                        Map.of("key", String.valueOf(token.displayPrefix()), "all_keys", true));
            }
        }
        LOG.infof("All %d live API keys of account %s revoked by an operator", revoked, accountId);
        return revoked;
    }

    private ApiKeyView view(TokenRecord token) {
        return ApiKeyView.of(token, store.successorOf(token.id()).orElse(null), store.now());
    }

    private String checkLabel(String label) {
        if (label == null || label.isBlank()) {
            throw Rejection.invalid("label is required");
        }
        String trimmed = label.strip();
        if (trimmed.codePointCount(0, trimmed.length()) > config.labelMaxLength()) {
            throw Rejection.invalid("label must be at most " + config.labelMaxLength() + " characters");
        }
        if (dev.gatehouse.web.DisplayText.hasHiddenCharacters(trimmed)) {
            throw Rejection.invalid("label must not contain control or invisible characters (such as U+200B or U+202E)");
        }
        return trimmed;
    }

    private List<String> checkScopes(List<String> scopes) {
        if (scopes == null || scopes.isEmpty()) {
            throw Rejection.invalid("scopes must name at least one scope");
        }
        if (scopes.contains(null)) {
            throw Rejection.invalid("scopes must be strings");
        }
        List<String> unknown = catalogue.unknown(scopes);
        if (!unknown.isEmpty()) {
            throw Rejection.invalid("Unknown scope" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + "; known scopes: " + String.join(", ", catalogue.describe().keySet()));
        }
        return List.copyOf(new LinkedHashSet<>(scopes));
    }

    private Instant checkExpiry(Instant expiresAt) {
        if (expiresAt != null && !expiresAt.isAfter(store.now())) {
            throw Rejection.invalid("expiresAt must be in the future");
        }
        if (expiresAt != null && expiresAt.isAfter(LATEST_EXPIRY)) {
            throw Rejection.invalid("expiresAt must be before the year 10000");
        }
        return expiresAt;
    }

    private static Environment checkEnvironment(String environment) {
        if (environment == null) {
            return Environment.LIVE;
        }
        return Environment.parse(environment).orElseThrow(() -> Rejection.invalid("environment must be live or test"));
    }

    private static IpAllowlist checkIpAllowlist(List<String> ranges) {
        try {
            return IpAllowlist.parse(ranges);
        } catch (IpAllowlist.InvalidRange e) {
            throw Rejection.invalid("ipAllowlist: " + e.getMessage());
        }
    }

    private Duration checkGracePeriod(Long seconds) {
        if (seconds == null) {
            return config.roll().defaultGracePeriod();
        }
        Duration grace = seconds < 0 ? null : Duration.ofSeconds(seconds);
        if (grace == null || grace.compareTo(config.roll().maxGracePeriod()) > 0) {
            throw Rejection.invalid("gracePeriodSeconds must be between 0 and " + config.roll().maxGracePeriod().toSeconds());
        }
        return grace;
    }

    private static Rejection noSuchKey() {
        return Rejection.notFound("No such API key");
    }
}
