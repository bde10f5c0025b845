package dev.gatehouse.gateway;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The original request's target as a gateway reports it ({@code /api/jobs?page=2}), split into decoded
 * path segments for the route table and raw query pairs for the credential-in-query check.
 *
 * <p>The path is normalised the way upstream servers read it, so that no spelling reaches a route other
 * than the one the upstream will serve: percent-decoding, empty segments dropped ({@code //}, a trailing
 * {@code /}), {@code .} and {@code ..} resolved. Spellings whose meaning differs between servers are
 * refused rather than guessed: an encoded {@code /} or {@code \}, control characters, {@code ..} above
 * the root, broken percent-encoding.
 */
record RequestPath(List<String> segments, List<Map.Entry<String, String>> query) {

    /** Bad input from the gateway: the message is safe to show (it never repeats the target). */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    static RequestPath parse(String target) throws Invalid {
        if (target == null || target.isEmpty()) {
            throw new Invalid("The original request's URI is missing");
        }
        if (target.length() > 8192) {
            throw new Invalid("The original request's URI is too long");
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                // RFC 3986: anything else arrives percent-encoded; raw bytes would be read differently by each server.
                throw new Invalid("The original request's URI contains a space, a control or a non-ASCII character");
            }
        }
        // A request line never carries a fragment, and some servers keep "#…" in the path: refuse rather
        // than price "/public#/../admin" as "/public".
        if (target.indexOf('#') >= 0) {
            throw new Invalid("The original request's URI must not contain #");
        }
        String withoutFragment = target;
        int question = withoutFragment.indexOf('?');
        String rawPath = question < 0 ? withoutFragment : withoutFragment.substring(0, question);
        String rawQuery = question < 0 ? "" : withoutFragment.substring(question + 1);
        if (!rawPath.startsWith("/")) {
            throw new Invalid("The original request's URI must be a path starting with /");
        }
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.substring(1).split("/", -1)) {
            if (raw.indexOf(';') >= 0) {
                // Path parameters: Tomcat, Jetty and Spring serve /admin;x/users as /admin/users.
                throw new Invalid("A ; in the original request's path is refused");
            }
            String segment = decode(raw, false);
            if (segment.indexOf('/') >= 0 || segment.indexOf('\\') >= 0) {
                throw new Invalid("An encoded / or \\ in the original request's path is refused");
            }
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (segments.isEmpty()) {
                    throw new Invalid("The original request's path climbs above the root");
                }
                segments.removeLast();
                continue;
            }
            segments.add(segment);
        }
        List<Map.Entry<String, String>> query = new ArrayList<>();
        if (!rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals), true);
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1), true);
                query.add(new AbstractMap.SimpleImmutableEntry<>(name, value));
            }
        }
        return new RequestPath(List.copyOf(segments), List.copyOf(query));
    }

    /** The normalised path, for messages and the verify API's answers. */
    String path() {
        return "/" + String.join("/", segments);
    }

    private static String decode(String raw, boolean plusIsSpace) throws Invalid {
        if (raw.indexOf('%') < 0) {
            return plusIsSpace ? raw.replace('+', ' ') : raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0 || Character.digit(raw.charAt(i + 2), 16) < 0) {
                    throw new Invalid("The original request's URI has broken percent-encoding");
                }
                int b = Character.digit(raw.charAt(i + 1), 16) * 16 + Character.digit(raw.charAt(i + 2), 16);
                if (b < 0x20 || b == 0x7f) {
                    throw new Invalid("The original request's URI encodes a control character");
                }
                bytes.write(b);
                i += 2;
            } else {
                bytes.write(plusIsSpace && c == '+' ? ' ' : c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new Invalid("The original request's URI is not UTF-8 once decoded");
        }
    }
}
