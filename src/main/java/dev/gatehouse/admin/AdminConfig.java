package dev.gatehouse.admin;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** {@code gatehouse.admin.*}: operator access. Without a token the admin endpoints do not exist. */
@ConfigMapping(prefix = "gatehouse.admin")
public interface AdminConfig {
    /** Bearer token for /admin/* (GATEHOUSE_ADMIN_TOKEN); long and random. */
    Optional<String> token();
}
