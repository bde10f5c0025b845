package dev.gatehouse.verification;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;

/**
 * {@code gatehouse.access-tokens.*}: where OAuth access tokens (JWTs) are read from. Separate from
 * {@code gatehouse.api-keys.headers}, so a deployment whose keys travel in {@code X-API-Key} still reads a
 * dashboard's JWT from {@code Authorization: Bearer}.
 */
@ConfigMapping(prefix = "gatehouse.access-tokens")
public interface AccessTokenConfig {
    /** Headers an access token may arrive in: Authorization (as Bearer) and/or custom header names. */
    @WithDefault("Authorization")
    List<String> headers();
}
