package dev.gatehouse.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.ExampleFile;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The route table: what stops start-up, which route wins, and each example file's seed routes. */
class RouteTableTest {
    private static final Pattern ROUTE_KEY = Pattern.compile("gatehouse\\.routes\\.\"([^\"]+)\"\\.(method|path|scope|cost)");
    private static final Set<String> SCOPES = Set.of("jobs:read", "jobs:write", "billing:read");

    record R(String method, String path, Optional<String> scope, long cost) implements RouteConfig.Route {
        static R of(String method, String path, String scope, long cost) {
            return new R(method, path, Optional.ofNullable(scope), cost);
        }
    }

    static RouteTable table(Map<String, ? extends RouteConfig.Route> routes) {
        return new RouteTable(new LinkedHashMap<>(routes), SCOPES::contains);
    }

    static Optional<Route> match(RouteTable table, String method, String target) throws RequestPath.Invalid {
        return table.match(method, RequestPath.parse(target));
    }

    @Test
    void badRoutesStopStartUpNamingTheRouteAndTheReason() {
        Map<String, R> bad = new LinkedHashMap<>();
        bad.put("no-slash", R.of("GET", "api/jobs", null, 1));
        bad.put("rest-in-middle", R.of("GET", "/api/**/x", null, 1));
        bad.put("double-slash", R.of("GET", "/api//x", null, 1));
        bad.put("wildcard-literal", R.of("GET", "/api/jo*s", null, 1));
        bad.put("bad-param", R.of("GET", "/api/{1id}", null, 1));
        bad.put("unknown-scope", R.of("GET", "/a", "jobs:delete", 1));
        bad.put("unknown-method", R.of("FETCH", "/b", null, 1));
        bad.put("negative", R.of("GET", "/c", null, -1));
        bad.put("huge", R.of("GET", "/d", null, 5_000_000));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> table(bad));
        for (String name : bad.keySet()) {
            assertTrue(e.getMessage().contains("\"" + name + "\""), name + " named in:\n" + e.getMessage());
        }
        assertTrue(e.getMessage().contains("'jobs:delete' is not in gatehouse.scopes.catalogue"), e.getMessage());
        assertTrue(e.getMessage().contains("** may only be the last segment"), e.getMessage());
    }

    @Test
    void twoRoutesForTheSameRequestsStopStartUp() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> table(Map.of(
                "a", R.of("get", "/api/jobs", null, 1), "b", R.of("GET", "/api/jobs", "jobs:read", 2))));
        assertTrue(e.getMessage().contains("both cover GET /api/jobs"), e.getMessage());
    }

    @Test
    void theMostSpecificRouteWinsWhateverTheConfiguredOrder() throws Exception {
        RouteTable table = table(Map.of(
                "any", R.of("*", "/**", null, 1),
                "api", R.of("*", "/api/**", null, 2),
                "job", R.of("*", "/api/jobs/{id}", null, 3),
                "job-get", R.of("GET", "/api/jobs/{id}", null, 4),
                "mine", R.of("GET", "/api/jobs/mine", null, 5),
                "jobs", R.of("GET", "/api/jobs", null, 6),
                "jobs-tree", R.of("GET", "/api/jobs/**", null, 7)));
        assertEquals("mine", match(table, "GET", "/api/jobs/mine").orElseThrow().name(), "literal beats {param}");
        assertEquals("job-get", match(table, "GET", "/api/jobs/7").orElseThrow().name(), "a named method beats *");
        assertEquals("job", match(table, "DELETE", "/api/jobs/7").orElseThrow().name());
        assertEquals("jobs", match(table, "get", "/api/jobs").orElseThrow().name(), "the end of a pattern beats **");
        assertEquals("jobs-tree", match(table, "GET", "/api/jobs/7/notes").orElseThrow().name(), "{param} needs exactly one segment");
        assertEquals("api", match(table, "POST", "/api/jobs").orElseThrow().name());
        assertEquals("any", match(table, "GET", "/").orElseThrow().name(), "** matches no segment too");
        assertEquals(List.of("mine", "job-get", "job", "jobs", "jobs-tree", "api", "any"),
                table.routes().stream().map(Route::name).toList());
    }

    @Test
    void spellingsOfAPathAreOnePathAndAmbiguousOnesAreRefused() throws Exception {
        RouteTable table = table(Map.of("premium", R.of("*", "/api/premium/**", null, 10), "api", R.of("*", "/api/**", null, 1)));
        for (String spelling : List.of("/api/premium/x", "/api//premium/x", "/api/./premium/x/", "/api/other/../premium/x",
                "/api/%70remium/x?y=1")) {
            assertEquals("premium", match(table, "GET", spelling).orElseThrow().name(), spelling);
        }
        for (String refused : List.of("/api/premium%2Fx", "/api/premium%5Cx", "/../api", "/api/%zz", "/api/\u00e9", "/a b",
                "/api/%00", "api/x", "", "/api/%C3",
                // Read differently by servers: a fragment some keep in the path, path parameters others drop.
                "/api/premium/x#frag", "/api#/../premium/x", "/api;x/premium/x", "/api/premium;jsessionid=1/x")) {
            assertThrows(RequestPath.Invalid.class, () -> RequestPath.parse(refused), refused);
        }
        assertEquals(List.of(Map.entry("api_key", "a b"), Map.entry("x", "")), RequestPath.parse("/p?api_key=a+b&x").query());
    }

    /** HEAD runs the GET handler on most servers: it is priced and scoped as that GET, never unrouted. */
    @Test
    void headIsPricedAsTheGetItRuns() throws Exception {
        RouteTable table = table(Map.of("report", R.of("GET", "/api/report", "jobs:read", 10)));
        assertEquals("report", match(table, "HEAD", "/api/report").orElseThrow().name());
        assertTrue(match(table, "POST", "/api/report").isEmpty());
    }

    /** Each example file's routes load with its catalogue, and price the seed's endpoints. */
    @ParameterizedTest(name = "{0}: {1} {2}")
    @CsvSource(delimiter = '|', value = {
        "jobo       | GET    | /api/jobs                                        | api:access      | 1",
        "jobo       | GET    | /api/jobs/123                                    | api:access      | 1",
        "jobtactics | GET    | /api/v1/public/credits/balance                   | public:read     | 0",
        "jobtactics | GET    | /api/v1/public/templates/basic                   | public:read     | 1",
        "jobtactics | GET    | /api/v1/public/templates/premium/cv              | public:read     | 5",
        "jobtactics | POST   | /api/v1/public/templates/premium/cv/generate     | public:write    | 10",
        "jobtactics | POST   | /api/v1/public/results                           | public:write    | 2",
        "jobspipe   | POST   | /v1/jobs/search                                  | jobs:read       | 1",
        "jobspipe   | GET    | /v1/companies/acme                               | companies:read  | 1",
        "jobiflow   | GET    | /public/v1/job-listings                          | jobs:read       | 1",
        "jobiflow   | POST   | /public/v1/job-listings                          | jobs:write      | 1",
        "jobiflow   | DELETE | /public/v1/webhooks/9                            | webhooks:manage | 1",
        "jobby      | GET    | /api/queue/1                                     | queue:read      | 1",
        "jobby      | PATCH  | /api/profile                                     | profile:write   | 1"})
    void eachExampleFilePricesItsSeedsEndpoints(String file, String method, String path, String scope, long cost) throws Exception {
        Properties properties = ExampleFile.load(file);
        assertEquals("deny", properties.getProperty("gatehouse.gateway.unmatched"), "examples never let an unpriced path through");
        Set<String> catalogue = Set.copyOf(Arrays.stream(properties.getProperty("gatehouse.scopes.catalogue").split(","))
                .map(String::strip).toList());
        Map<String, Map<String, String>> fields = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            Matcher matcher = ROUTE_KEY.matcher(name);
            if (matcher.matches()) {
                fields.computeIfAbsent(matcher.group(1), n -> new LinkedHashMap<>()).put(matcher.group(2), properties.getProperty(name));
            }
        }
        Map<String, R> routes = new LinkedHashMap<>();
        fields.forEach((name, route) -> routes.put(name, new R(route.getOrDefault("method", "*"), route.get("path"),
                Optional.ofNullable(route.get("scope")), Long.parseLong(route.getOrDefault("cost", "1")))));
        RouteTable table = new RouteTable(routes, catalogue::contains);
        Route route = match(table, method, path).orElseThrow(() -> new AssertionError("no route for " + method + " " + path));
        assertEquals(scope, route.scope(), route.name());
        assertEquals(cost, route.cost(), route.name());
        assertTrue(match(table, "GET", "/internal/admin").isEmpty(), "internal paths are not routed");
    }
}
