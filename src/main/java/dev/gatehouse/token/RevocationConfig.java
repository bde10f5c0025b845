package dev.gatehouse.token;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * {@code gatehouse.revocation.*}: how every node hears that a token changed. Changes travel by
 * PostgreSQL LISTEN/NOTIFY from the transaction that made them; docs/revocation.md explains the choice.
 */
@ConfigMapping(prefix = "gatehouse.revocation")
public interface RevocationConfig {
    /** The NOTIFY channel; nodes of one deployment must agree on it. */
    @WithDefault("gatehouse_token_changed")
    String channel();

    /**
     * How often the listener sends itself a notification on the channel; three beats that do not come
     * back make the node degraded, so a silently dead listener is noticed within three intervals.
     */
    @WithDefault("500ms")
    Duration heartbeatInterval();

    /** First wait before listening again after the connection was lost; doubles up to {@link #maxReconnectDelay()}. */
    @WithDefault("200ms")
    Duration reconnectDelay();

    @WithDefault("5s")
    Duration maxReconnectDelay();

    /**
     * While the broadcast cannot be trusted, a cached token older than this is read again from
     * PostgreSQL before it is believed: the longest a revocation made elsewhere can go unseen then.
     */
    @WithDefault("250ms")
    Duration degradedCacheTtl();
}
