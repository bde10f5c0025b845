package dev.gatehouse.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Redirect URI rules (RFC 9700 §2.1/§4.1.3, RFC 8252 §7.3): exact string matching, except that a
 * loopback IP literal (127.0.0.1, [::1]) matches on any port; only https, or http on loopback (and on
 * localhost in dev, matched exactly).
 */
public final class RedirectUris {
    private RedirectUris() {
    }

    /** The registered URI {@code presented} matches, if any. */
    public static Optional<String> match(List<String> registered, String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        for (String candidate : registered) {
            if (candidate.equals(presented) || loopbackMatch(candidate, presented)) {
                return Optional.of(presented);
            }
        }
        return Optional.empty();
    }

    /** Why {@code uri} cannot be registered, or empty when it can. */
    public static Optional<String> problem(String uri, boolean allowHttpLocalhost) {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URI");
        }
        if (!parsed.isAbsolute() || parsed.getHost() == null) {
            return Optional.of("must be an absolute URI with a host");
        }
        if (parsed.getFragment() != null) {
            return Optional.of("must not contain a fragment");
        }
        String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return Optional.empty();
        }
        if (scheme.equals("http") && (isLoopbackIp(parsed.getHost()) || (allowHttpLocalhost && isLocalhost(parsed.getHost())))) {
            return Optional.empty();
        }
        return Optional.of("must use https (http only on a loopback address)");
    }

    private static boolean loopbackMatch(String registered, String presented) {
        try {
            URI a = new URI(registered);
            URI b = new URI(presented);
            return "http".equals(a.getScheme()) && "http".equals(b.getScheme())
                    && a.getHost() != null && isLoopbackIp(a.getHost()) && a.getHost().equals(b.getHost())
                    && equal(a.getRawPath(), b.getRawPath()) && equal(a.getRawQuery(), b.getRawQuery())
                    && b.getRawFragment() == null && b.getRawUserInfo() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean equal(String a, String b) {
        return a == null ? b == null : a.equals(b);
    }

    static boolean isLoopbackIp(String host) {
        return host.equals("127.0.0.1") || host.equals("[::1]");
    }

    private static boolean isLocalhost(String host) {
        return host.equalsIgnoreCase("localhost");
    }
}
