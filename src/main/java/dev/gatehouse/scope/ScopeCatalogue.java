package dev.gatehouse.scope;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/** The scopes this deployment knows, in catalogue order, with their descriptions. */
@ApplicationScoped
public class ScopeCatalogue {
    private final SequencedMap<String, String> scopes = new LinkedHashMap<>();

    ScopeCatalogue(ScopeConfig config) {
        for (String scope : config.catalogue()) {
            scopes.put(scope, config.descriptions().getOrDefault(scope, scope));
        }
    }

    public boolean contains(String scope) {
        return scopes.containsKey(scope);
    }

    /** Those of {@code requested} the catalogue does not know, in request order. */
    public List<String> unknown(Collection<String> requested) {
        return requested.stream().filter(scope -> !contains(scope)).distinct().toList();
    }

    /**
     * The OpenID Connect scopes a person's OAuth client may ask for besides the catalogue; {@code offline_access}
     * asks for a refresh token (OIDC Core §11), as oauth4webapi's and the MCP SDK's registrations do.
     */
    public static final List<String> OIDC_SCOPES = List.of("openid", "profile", "email", "offline_access");

    /** A service verifying API keys (the verify API). Held by confidential clients only, never by a person's token. */
    public static final String VERIFY = "gatehouse:verify";

    /** Operating the deployment through /admin/*: granted to the operators' first-party tokens only. */
    public static final String ADMIN = "gatehouse:admin";

    /** A space-separated OAuth {@code scope} parameter (RFC 6749 §3.3), in order, without repeats. */
    public static List<String> parse(String scope) {
        return scope == null || scope.isBlank() ? List.of()
                : List.copyOf(new java.util.LinkedHashSet<>(List.of(scope.trim().split("\\s+"))));
    }

    /** What an OAuth client acting for a person may ask for: the OIDC scopes and the catalogue. */
    public List<String> oauthScopes() {
        List<String> all = new java.util.ArrayList<>(OIDC_SCOPES);
        all.addAll(scopes.keySet());
        return List.copyOf(all);
    }

    public Map<String, String> describe() {
        return java.util.Collections.unmodifiableMap(scopes);
    }

    public List<Scope> all() {
        return scopes.entrySet().stream().map(e -> new Scope(e.getKey(), e.getValue())).toList();
    }

    public record Scope(String name, String description) {
    }
}
