package dev.gatehouse.pat;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gatehouse.token.Environment;
import dev.gatehouse.token.TokenRecord;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An API key as its owner sees it. {@code rawKey} is filled exactly once, in the answer to its creation
 * (or to the roll that made it); everywhere else it is absent and only the preview shows. {@code replaces}
 * and {@code replacedBy} link the two keys of a roll; the old key's {@code expiresAt} says when it stops.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKeyView(
        UUID id,
        String kind,
        String keyPrefix,
        String preview,
        String label,
        List<String> scopes,
        Environment environment,
        @JsonInclude(JsonInclude.Include.ALWAYS) List<String> ipAllowlist,
        Instant createdAt,
        Instant expiresAt,
        Instant revokedAt,
        Instant lastUsedAt,
        long usageCount,
        boolean active,
        UUID replaces,
        UUID replacedBy,
        String rawKey) {

    static ApiKeyView of(TokenRecord token, UUID replacedBy, Instant now) {
        return new ApiKeyView(token.id(), token.kind().column(), token.displayPrefix(), token.preview(), token.label(), token.scopes(),
                token.environment(), token.ipAllowlist().cidrs(), token.createdAt(), token.expiresAt(), token.revokedAt(),
                token.lastUsedAt(), token.usageCount(), token.isActiveAt(now), token.replaces(), replacedBy, null);
    }

    ApiKeyView withRawKey(String plaintext) {
        return new ApiKeyView(id, kind, keyPrefix, preview, label, scopes, environment, ipAllowlist, createdAt, expiresAt,
                revokedAt, lastUsedAt, usageCount, active, replaces, replacedBy, plaintext);
    }

    @Override
    public String toString() {
        return "ApiKeyView[id=" + id + ", keyPrefix=" + keyPrefix + "]";
    }
}
