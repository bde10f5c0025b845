package dev.gatehouse.pat;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/** Request bodies of the management API (seed 001). Unknown fields are refused by Jackson. */
public final class ApiKeyRequests {
    private ApiKeyRequests() {
    }

    /** {@code POST /settings/api-keys}. {@code ipAllowlist}: CIDR ranges; absent or empty: anywhere. */
    @RegisterForReflection
    public record Create(String label, List<String> scopes, Instant expiresAt, String environment, List<String> ipAllowlist) {
    }

    /**
     * {@code PATCH /settings/api-keys/{id}}: the label and the IP allowlist change; a field left out stays
     * as it is, and {@code "ipAllowlist": []} lifts the restriction. The immutable fields are named so that
     * sending them gets a clear "immutable" answer instead of "unknown field".
     */
    @RegisterForReflection
    public record Update(String label, List<String> scopes, Instant expiresAt, String environment, List<String> ipAllowlist) {
    }

    /**
     * {@code POST /settings/api-keys/{id}/roll}: how long the old key keeps working beside its successor
     * (seed 002: "both keys are valid simultaneously"). Absent: the default, 24 hours; 0: it stops at once.
     */
    @RegisterForReflection
    public record Roll(Long gracePeriodSeconds) {
    }
}
