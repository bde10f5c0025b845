package dev.gatehouse.leak;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * GitHub's false-positive feedback for one reported token (specs.md §10.2): the token's SHA-256, never the
 * token, and whether it is one of ours.
 */
@RegisterForReflection
record LeakFeedback(@JsonProperty("token_hash") String tokenHash, @JsonProperty("token_type") String tokenType, String label) {
    static final String TRUE_POSITIVE = "true_positive";
    static final String FALSE_POSITIVE = "false_positive";
}
