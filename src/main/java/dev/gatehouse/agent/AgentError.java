package dev.gatehouse.agent;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * An error at {@code /agent/*}: auth.md v0.1's envelope {@code {"error","message"}} with its codes and
 * statuses (specs.md §1.2, §1.3): the consumer guide's names, plus {@code *_not_enabled}.
 */
public class AgentError extends RuntimeException {
    private final int status;
    private final String code;

    public AgentError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    /** The JSON answer; a subclass may add a field that tells the agent where to go next. */
    Object body() {
        return new Body(code, getMessage());
    }

    static AgentError invalidRequest(String message) {
        return new AgentError(400, "invalid_request", message);
    }

    /** 429 {@code rate_limited}, with when to retry. */
    static final class RateLimited extends AgentError {
        private final long retryAfterSeconds;

        RateLimited(String what, java.time.Duration remaining) {
            super(429, "rate_limited", what + "; retry after " + Math.max(1, remaining.toSeconds()) + " seconds");
            this.retryAfterSeconds = Math.max(1, (remaining.toMillis() + 999) / 1000);
        }

        long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    @RegisterForReflection
    public record Body(String error, String message) {
    }

    public static class Mapper {
        @ServerExceptionMapper
        public Response map(AgentError error) {
            Response.ResponseBuilder response = Response.status(error.status).type("application/json")
                    .header("Cache-Control", "no-store")
                    .entity(error.body());
            if (error instanceof RateLimited limited) {
                response.header("Retry-After", limited.retryAfterSeconds());
            }
            return response.build();
        }
    }
}
