package dev.gatehouse.gateway;

import dev.gatehouse.scope.ScopeCatalogue;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The deployment's routes ({@code gatehouse.routes.*}), validated when Gatehouse starts (a bad pattern, an
 * unknown scope or method, a negative or absurd cost, two routes for the same method and pattern: start-up
 * stops and says which route and why) and kept most specific first, so that the first match is the
 * intended one whatever order the configuration listed them in:
 * <ol>
 * <li>patterns compared segment by segment from the left: a literal beats {@code {param}}, which beats the
 *     end of the pattern, which beats {@code **};</li>
 * <li>at equal shape, a route naming its method beats {@code *};</li>
 * <li>then the pattern's text and the route's name, only to keep the order stable.</li>
 * </ol>
 */
@Startup
@ApplicationScoped
public class RouteTable {
    static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    /** Larger than any price list needs; a bigger number is a typo (or an overflow waiting to happen). */
    static final long MAX_COST = 1_000_000;

    static final Comparator<Route> MOST_SPECIFIC_FIRST = RouteTable::compareSpecificity;

    private final List<Route> routes;

    @jakarta.inject.Inject
    RouteTable(RouteConfig config, ScopeCatalogue catalogue) {
        this(config.routes(), catalogue::contains);
    }

    RouteTable(Map<String, ? extends RouteConfig.Route> configured, Predicate<String> knownScope) {
        List<String> problems = new ArrayList<>();
        List<Route> parsed = new ArrayList<>();
        for (var entry : configured.entrySet()) {
            String name = entry.getKey();
            RouteConfig.Route route = entry.getValue();
            String where = "gatehouse.routes.\"" + name + "\"";
            String method = route.method().strip().toUpperCase(Locale.ROOT);
            if (!method.equals("*") && !METHODS.contains(method)) {
                problems.add(where + ".method: '" + route.method() + "' is not one of " + new java.util.TreeSet<>(METHODS) + " or *");
            }
            PathPattern pattern = null;
            try {
                pattern = PathPattern.parse(route.path().strip());
            } catch (IllegalArgumentException e) {
                problems.add(where + ".path: '" + route.path() + "' " + e.getMessage());
            }
            String scope = route.scope().map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
            if (scope != null && !knownScope.test(scope)) {
                problems.add(where + ".scope: '" + scope + "' is not in gatehouse.scopes.catalogue");
            }
            if (route.cost() < 0 || route.cost() > MAX_COST) {
                problems.add(where + ".cost: " + route.cost() + " is not between 0 and " + MAX_COST);
            }
            if (pattern != null) {
                parsed.add(new Route(name, method, pattern, scope, route.cost()));
            }
        }
        Map<String, String> seen = new HashMap<>();
        for (Route route : parsed) {
            String previous = seen.putIfAbsent(route.method() + " " + route.path(), route.name());
            if (previous != null) {
                problems.add("gatehouse.routes.\"" + route.name() + "\" and \"" + previous + "\" both cover "
                        + route.method() + " " + route.path());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("The route table is invalid:\n  " + String.join("\n  ", problems.stream().sorted().toList()));
        }
        parsed.sort(MOST_SPECIFIC_FIRST);
        this.routes = List.copyOf(parsed);
    }

    /** The first route, most specific first, that covers this request. */
    Optional<Route> match(String method, RequestPath path) {
        String upper = method.toUpperCase(Locale.ROOT);
        for (Route route : routes) {
            if (route.matches(upper, path)) {
                return Optional.of(route);
            }
        }
        // Servers answer HEAD with their GET handler: it is priced and scoped as the GET it runs.
        return upper.equals("HEAD") ? match("GET", path) : Optional.empty();
    }

    /** The routes in matching order. */
    public List<Route> routes() {
        return routes;
    }

    private static int compareSpecificity(Route a, Route b) {
        int length = Math.max(a.pattern().segments().size(), b.pattern().segments().size()) + 1;
        for (int i = 0; i < length; i++) {
            int byKind = a.pattern().kindAt(i).compareTo(b.pattern().kindAt(i));
            if (byKind != 0) {
                return byKind;
            }
        }
        boolean aAny = a.method().equals("*");
        boolean bAny = b.method().equals("*");
        if (aAny != bAny) {
            return aAny ? 1 : -1;
        }
        int byText = a.path().compareTo(b.path());
        return byText != 0 ? byText : a.name().compareTo(b.name());
    }
}
