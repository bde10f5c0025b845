package dev.gatehouse.oauth;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** RFC 6749 §5.2 error bodies, never cached. */
public class OAuthErrorMapper {
    @RegisterForReflection
    public record Body(String error, @JsonProperty("error_description") String errorDescription) {
    }

    @ServerExceptionMapper
    public Response map(OAuthError error) {
        Response.ResponseBuilder response = Response.fromResponse(NoStore.status(error.status(), new Body(error.code(), error.getMessage())));
        if (error.challenge() != null) {
            response.header("WWW-Authenticate", error.challenge());
        }
        return response.build();
    }
}
