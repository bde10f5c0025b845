package dev.gatehouse.oauth;

import dev.gatehouse.web.ServerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;

/**
 * The protected resource Gatehouse issues tokens for (RFC 8707 {@code resource}, RFC 9728 {@code resource},
 * the {@code aud} of access tokens), and where its metadata lives.
 */
@ApplicationScoped
public class Resources {
    private final String issuer;
    private final String resource;

    Resources(ServerConfig server, OAuthConfig config) {
        this.issuer = withoutTrailingSlash(server.issuer().toString());
        this.resource = withoutTrailingSlash(config.resource().map(URI::toString).orElse(issuer));
    }

    public String issuer() {
        return issuer;
    }

    public String defaultResource() {
        return resource;
    }

    /** Code-point equality after dropping one trailing slash (RFC 9728 §6; MCP's canonical form). */
    public boolean known(String candidate) {
        return withoutTrailingSlash(candidate).equals(resource);
    }

    /** RFC 9728 §3.1: the well-known segment goes between the host and the resource's path. */
    public String protectedResourceMetadataUrl() {
        URI uri = URI.create(resource);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return uri.getScheme() + "://" + uri.getRawAuthority() + "/.well-known/oauth-protected-resource" + path;
    }

    public String endpoint(String path) {
        return issuer + path;
    }

    private static String withoutTrailingSlash(String value) {
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }
}
