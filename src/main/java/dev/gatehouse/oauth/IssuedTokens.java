package dev.gatehouse.oauth;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The token endpoint's answer (RFC 6749 §5.1; {@code id_token} per OpenID Connect). */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IssuedTokens(
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") long expiresIn,
        @JsonProperty("refresh_token") String refreshToken,
        @JsonProperty("id_token") String idToken,
        String scope) {

    @Override
    public String toString() {
        return "IssuedTokens[scope=" + scope + "]";
    }
}
