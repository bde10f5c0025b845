package dev.gatehouse.web;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import java.net.URI;
import java.util.Locale;

/** Facts about where a request comes from, for cookies, redirects and cross-site checks. */
public final class RequestOrigin {
    private RequestOrigin() {
    }

    /** Plain HTTP to a loopback name: the one case where a session cookie may go without Secure. */
    public static boolean isPlainLocalhost(HttpServerRequest request) {
        String host = request.authority() == null ? "" : request.authority().host().toLowerCase(Locale.ROOT);
        boolean loopback = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("::1")
                || host.equals("[::1]") || host.endsWith(".localhost");
        return "http".equals(request.scheme()) && loopback;
    }

    /**
     * True when a browser says the request was sent by another site: a state-changing form post from
     * there is a cross-site request forgery attempt, even before any session exists (login CSRF).
     */
    public static boolean isCrossSite(HttpServerRequest request) {
        String fetchSite = request.getHeader("Sec-Fetch-Site");
        if (fetchSite != null) {
            // "same-site" includes sibling subdomains, which may belong to someone else.
            return !(fetchSite.equals("same-origin") || fetchSite.equals("none"));
        }
        String origin = request.getHeader("Origin");
        if (origin == null || origin.equals("null")) {
            return origin != null;
        }
        try {
            URI from = URI.create(origin);
            HostAndPort self = request.authority();
            if (self == null || from.getHost() == null) {
                return true;
            }
            int fromPort = from.getPort() != -1 ? from.getPort() : defaultPort(from.getScheme());
            int selfPort = self.port() != -1 ? self.port() : defaultPort(request.scheme());
            return !(from.getHost().equalsIgnoreCase(self.host()) && fromPort == selfPort);
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    private static int defaultPort(String scheme) {
        return "https".equalsIgnoreCase(scheme) ? 443 : 80;
    }

    /** A local path to return to after sign-in; anything else (another host, "//x") becomes the fallback. */
    public static String safeReturnPath(String candidate, String fallback) {
        if (candidate == null || !candidate.startsWith("/") || candidate.startsWith("//") || candidate.startsWith("/\\")
                || candidate.chars().anyMatch(c -> c < 0x20)) {
            return fallback;
        }
        try {
            URI parsed = new URI(candidate);
            return parsed.getScheme() == null && parsed.getRawAuthority() == null ? candidate : fallback;
        } catch (java.net.URISyntaxException e) {
            return fallback;
        }
    }
}
