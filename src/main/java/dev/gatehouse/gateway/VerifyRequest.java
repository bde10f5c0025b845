package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.web.ApiProblem;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A verify API request, checked strictly: the right JSON types only (no "5" for 5), no unknown field, no
 * control characters, bounded sizes. Anything else is a 400 that never repeats the key.
 *
 * @param key    the credential to verify
 * @param method the request's method, upper-case, or null
 * @param path   the request's path, or null (given together with method)
 * @param cost   credits to charge instead of the route's, or null
 * @param scopes scopes the key must all hold, besides the route's
 * @param ip     the address the key is being used from, or null (then an allowlisted key is refused)
 */
record VerifyRequest(String key, String method, RequestPath path, Long cost, List<String> scopes, IPAddress ip) {
    private static final Set<String> FIELDS = Set.of("key", "method", "path", "cost", "scopes", "ip");
    private static final Pattern METHOD = Pattern.compile("[A-Za-z]{1,20}");
    private static final Pattern SCOPE = Pattern.compile("[\\x21-\\x7e]{1,128}");
    private static final int MAX_KEY = 2048;
    private static final int MAX_SCOPES = 64;

    static VerifyRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiProblem.badRequest("The body must be a JSON object with at least a key");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ApiProblem.badRequest("Unknown field '" + printable(name) + "'");
            }
        }
        String key = text(body, "key", MAX_KEY);
        if (key == null || key.isEmpty()) {
            throw ApiProblem.badRequest("Field 'key' is required");
        }
        String method = text(body, "method", 20);
        if (method != null && !METHOD.matcher(method).matches()) {
            throw ApiProblem.badRequest("Field 'method' must be an HTTP method such as GET");
        }
        String rawPath = text(body, "path", 8192);
        if ((method == null) != (rawPath == null)) {
            throw ApiProblem.badRequest("Fields 'method' and 'path' go together: the route table needs both");
        }
        RequestPath path = null;
        if (rawPath != null) {
            try {
                path = RequestPath.parse(rawPath);
            } catch (RequestPath.Invalid e) {
                throw ApiProblem.badRequest("Field 'path': " + e.getMessage().replace("The original request's ", ""));
            }
        }
        Long cost = null;
        JsonNode costNode = body.get("cost");
        if (costNode != null && !costNode.isNull()) {
            if (!costNode.isIntegralNumber() || !costNode.canConvertToLong()
                    || costNode.longValue() < 0 || costNode.longValue() > RouteTable.MAX_COST) {
                throw ApiProblem.badRequest("Field 'cost' must be a whole number from 0 to " + RouteTable.MAX_COST);
            }
            cost = costNode.longValue();
        }
        List<String> scopes = new ArrayList<>();
        JsonNode scopesNode = body.get("scopes");
        if (scopesNode != null && !scopesNode.isNull()) {
            if (!scopesNode.isArray() || scopesNode.size() > MAX_SCOPES) {
                throw ApiProblem.badRequest("Field 'scopes' must be an array of at most " + MAX_SCOPES + " scopes");
            }
            for (JsonNode scope : scopesNode) {
                if (!scope.isTextual() || !SCOPE.matcher(scope.textValue()).matches()) {
                    throw ApiProblem.badRequest("Field 'scopes' must hold scope names (printable, no spaces)");
                }
                scopes.add(scope.textValue());
            }
        }
        String rawIp = text(body, "ip", 64);
        IPAddress ip = null;
        if (rawIp != null) {
            IPAddressString parsed = new IPAddressString(rawIp);
            ip = parsed.getAddress();
            if (!parsed.isIPAddress() || ip == null || ip.isMultiple() || ip.isPrefixed()) {
                throw ApiProblem.badRequest("Field 'ip' must be one IPv4 or IPv6 address");
            }
            if (ip.isIPv6() && ip.toIPv6().isIPv4Mapped()) {
                ip = ip.toIPv6().getEmbeddedIPv4Address();
            }
        }
        return new VerifyRequest(key, method == null ? null : method.toUpperCase(java.util.Locale.ROOT), path, cost,
                List.copyOf(scopes), ip);
    }

    /** A string field, or null when absent; control characters (NUL included) are refused. */
    private static String text(JsonNode body, String field, int max) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiProblem.badRequest("Field '" + field + "' must be a string");
        }
        String value = node.textValue();
        if (value.length() > max) {
            throw ApiProblem.badRequest("Field '" + field + "' is longer than " + max + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw ApiProblem.badRequest("Field '" + field + "' contains a control character");
            }
        }
        return value;
    }

    private static String printable(String name) {
        String shown = name.length() > 40 ? name.substring(0, 40) + "…" : name;
        return shown.replaceAll("[\\p{Cntrl}]", "?");
    }

    @Override
    public String toString() {
        return "VerifyRequest[method=" + method + ", path=" + (path == null ? null : path.path()) + "]"; // never the key
    }
}
