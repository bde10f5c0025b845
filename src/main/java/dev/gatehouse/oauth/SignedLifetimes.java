package dev.gatehouse.oauth;

import dev.gatehouse.keys.SignedTokenLifetimes;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** The JWTs Gatehouse signs live at most this long, so a retired key must verify that long. */
@ApplicationScoped
public class SignedLifetimes implements SignedTokenLifetimes {
    private final OAuthConfig config;

    SignedLifetimes(OAuthConfig config) {
        this.config = config;
    }

    @Override
    public Duration longest() {
        Duration access = config.accessTokenLifetime();
        Duration id = config.idTokenLifetime();
        return access.compareTo(id) > 0 ? access : id;
    }
}
