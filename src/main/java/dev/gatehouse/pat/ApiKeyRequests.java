package dev.gatehouse.pat;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/** Request bodies of the management API (seed 001). Unknown fields are refused by Jackson. */
public final class ApiKeyRequests {
    private ApiKeyRequests() {
    }

    /** {@code POST /settings/api-keys}. */
    @RegisterForReflection
    public record Create(String label, List<String> scopes, Instant expiresAt, String environment) {
    }

    /**
     * {@code PATCH /settings/api-keys/{id}}: only the label changes. The other fields are named so that
     * sending them gets a clear "immutable" answer instead of "unknown field".
     */
    @RegisterForReflection
    public record Update(String label, List<String> scopes, Instant expiresAt, String environment) {
    }
}
