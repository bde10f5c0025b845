package dev.gatehouse.admin;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Optional;

/** {@code gatehouse.admin.*}: operator access. Without a token or operators the admin endpoints do not exist. */
@ConfigMapping(prefix = "gatehouse.admin")
public interface AdminConfig {
    /** Bearer token for /admin/* (GATEHOUSE_ADMIN_TOKEN); long and random. For scripts and the first start. */
    Optional<String> token();

    /**
     * The emails of the people who operate this deployment (GATEHOUSE_ADMIN_OPERATORS, comma-separated).
     * Signed in to the dashboard, they may be granted the scope {@code gatehouse:admin}, and a first-party
     * access token with it calls /admin/* as the token does. Nobody else is ever granted that scope.
     */
    Optional<List<String>> operators();
}
