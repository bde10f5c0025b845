package dev.gatehouse.testing;

import java.util.Map;

/** Writes a route table entry ({@code gatehouse.routes."<name>".*}) into a test profile's configuration. */
public final class RouteTable {
    private RouteTable() {
    }

    /** A route; a null scope requires none. */
    public static void put(Map<String, String> config, String name, String method, String path, String scope, long cost) {
        String prefix = "gatehouse.routes.\"" + name + "\".";
        config.put(prefix + "method", method);
        config.put(prefix + "path", path);
        if (scope != null) {
            config.put(prefix + "scope", scope);
        }
        config.put(prefix + "cost", Long.toString(cost));
    }
}
