package dev.gatehouse.scope;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Map;

/**
 * {@code gatehouse.scopes.*}. The catalogue is one list so that a deployment's file replaces it whole
 * (maps from several config sources would merge).
 */
@ConfigMapping(prefix = "gatehouse.scopes")
public interface ScopeConfig {
    /** Every scope a credential may carry. Default: seed 000 (Jobby.dev). */
    @WithDefault("profile:read,profile:write,queue:read,queue:write,matches:read,matches:write,"
            + "billing:read,billing:write,events:read,events:write,jobs:read,jobs:write,"
            + "candidates:read,candidates:write,webhooks:read,webhooks:write,settings:read,settings:write")
    List<String> catalogue();

    /** One line per scope, shown on the key page and in auth.md. */
    Map<String, String> descriptions();
}
