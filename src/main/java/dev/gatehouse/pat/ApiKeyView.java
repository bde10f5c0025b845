package dev.gatehouse.pat;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gatehouse.token.Environment;
import dev.gatehouse.token.TokenRecord;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An API key as its owner sees it. {@code rawKey} is filled exactly once, in the answer to its creation;
 * everywhere else it is absent and only the preview shows.
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
        Instant createdAt,
        Instant expiresAt,
        Instant revokedAt,
        Instant lastUsedAt,
        long usageCount,
        boolean active,
        String rawKey) {

    static ApiKeyView of(TokenRecord token, Instant now) {
        return new ApiKeyView(token.id(), token.kind().column(), token.displayPrefix(), token.preview(), token.label(), token.scopes(),
                token.environment(), token.createdAt(), token.expiresAt(), token.revokedAt(), token.lastUsedAt(),
                token.usageCount(), token.isActiveAt(now), null);
    }

    ApiKeyView withRawKey(String plaintext) {
        return new ApiKeyView(id, kind, keyPrefix, preview, label, scopes, environment, createdAt, expiresAt, revokedAt,
                lastUsedAt, usageCount, active, plaintext);
    }

    @Override
    public String toString() {
        return "ApiKeyView[id=" + id + ", keyPrefix=" + keyPrefix + "]";
    }
}
