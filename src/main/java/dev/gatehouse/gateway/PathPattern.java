package dev.gatehouse.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A route's path: literal segments, {@code {name}} for exactly one segment, and a last {@code **} for any
 * number of remaining segments (none included). Matched against a {@link RequestPath}'s decoded segments,
 * case-sensitively, as paths are (RFC 3986 §6.2.2.1 leaves only the scheme and host case-insensitive).
 */
record PathPattern(String text, List<Segment> segments) {
    private static final Pattern PARAM = Pattern.compile("\\{[A-Za-z_][A-Za-z0-9_]*}");
    /** RFC 3986 pchar minus percent-encoding: patterns are written decoded, as they are compared. */
    private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9._~!$&'()+,;=:@-]+");

    enum Kind {
        // Declaration order is specificity order: see RouteTable's ordering.
        LITERAL, PARAM, END, REST
    }

    record Segment(Kind kind, String literal) {
    }

    /** Parses a pattern; the message names what is wrong, for the start-up error. */
    static PathPattern parse(String text) {
        if (text == null || !text.startsWith("/")) {
            throw new IllegalArgumentException("must start with /");
        }
        List<Segment> segments = new ArrayList<>();
        if (!text.equals("/")) {
            String[] parts = text.substring(1).split("/", -1);
            for (int i = 0; i < parts.length; i++) {
                String part = parts[i];
                if (part.equals("**")) {
                    if (i != parts.length - 1) {
                        throw new IllegalArgumentException("** may only be the last segment");
                    }
                    segments.add(new Segment(Kind.REST, null));
                } else if (PARAM.matcher(part).matches()) {
                    segments.add(new Segment(Kind.PARAM, null));
                } else if (part.isEmpty()) {
                    throw new IllegalArgumentException("has an empty segment (// or a trailing /)");
                } else if (part.equals(".") || part.equals("..") || !LITERAL.matcher(part).matches()) {
                    throw new IllegalArgumentException("segment '" + part + "' is neither a literal, {name} nor **");
                } else {
                    segments.add(new Segment(Kind.LITERAL, part));
                }
            }
        }
        return new PathPattern(text, List.copyOf(segments));
    }

    boolean matches(List<String> path) {
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            if (segment.kind() == Kind.REST) {
                return true;
            }
            if (i >= path.size()) {
                return false;
            }
            if (segment.kind() == Kind.LITERAL && !segment.literal().equals(path.get(i))) {
                return false;
            }
        }
        return path.size() == segments.size();
    }

    /** The kind at position {@code i}, {@code END} past the last segment. */
    Kind kindAt(int i) {
        return i < segments.size() ? segments.get(i).kind() : Kind.END;
    }
}
