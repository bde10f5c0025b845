package dev.gatehouse.gateway;

/**
 * One entry of the route table, validated.
 *
 * @param name    its name in {@code gatehouse.routes."<name>"}
 * @param method  an upper-case HTTP method, or {@code *}
 * @param pattern the path pattern
 * @param scope   the scope required, or null
 * @param cost    credits per request
 */
public record Route(String name, String method, PathPattern pattern, String scope, long cost) {
    /** What a request no route matches gets with {@code gatehouse.gateway.unmatched=authenticate}. */
    static final Route UNMATCHED = new Route("(unmatched)", "*", PathPattern.parse("/**"), null, 1);

    boolean matches(String requestMethod, RequestPath path) {
        return (method.equals("*") || method.equals(requestMethod)) && pattern.matches(path.segments());
    }

    public String path() {
        return pattern.text();
    }
}
