package dev.gatehouse.web;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/**
 * {@code gatehouse.proxy.*}: which peers may tell Gatehouse the client's address. With none configured,
 * the address is always the socket's and forwarding headers are ignored, so nobody can spoof their way
 * into an IP allowlist.
 */
@ConfigMapping(prefix = "gatehouse.proxy")
public interface ProxyConfig {
    /** CIDR ranges of the reverse proxies in front of Gatehouse, e.g. 10.0.0.0/8 or 127.0.0.1/32. */
    Optional<List<String>> trustedProxies();

    /**
     * The header those proxies set: {@code x-forwarded-for} or {@code forwarded} (RFC 7239). Only one is
     * read, the one the proxies are known to rewrite; the other could come from the client untouched.
     */
    @WithDefault("x-forwarded-for")
    ForwardedHeader forwardedHeader();

    enum ForwardedHeader {
        X_FORWARDED_FOR,
        FORWARDED
    }
}
