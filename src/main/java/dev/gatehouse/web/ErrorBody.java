package dev.gatehouse.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Seed 002's error body. {@code retryAfter} (epoch seconds) appears on 429 only; {@code errorId} on an
 * unexpected error only, the id of its log line.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(int status, String error, String message, Long retryAfter, String errorId) {
}
