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

    public Map<String, String> describe() {
        return java.util.Collections.unmodifiableMap(scopes);
    }

    public List<Scope> all() {
        return scopes.entrySet().stream().map(e -> new Scope(e.getKey(), e.getValue())).toList();
    }

    public record Scope(String name, String description) {
    }
}
