package dev.gatehouse.verification;

import dev.gatehouse.pat.ApiKeyConfig;
import dev.gatehouse.pat.ApiKeyFormat;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the credential from the headers this deployment accepts: API keys from
 * {@code gatehouse.api-keys.headers}, OAuth access tokens from {@code gatehouse.access-tokens.headers}.
 * {@code Authorization} counts only with the Bearer scheme. Never from the query.
 */
@ApplicationScoped
public class CredentialReader {
    static final String AUTHORIZATION = "Authorization";
    /** Query parameters that carry credentials by convention; any value shaped like one of our keys counts too. */
    private static final Set<String> CREDENTIAL_PARAMETERS = Set.of("access_token", "api_key", "apikey", "api-key", "x-api-key");
    private static final String BEARER = "bearer ";
    private static final Pattern JWT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    private final List<String> keyHeaders;
    private final List<String> tokenHeaders;
    private final List<String> allHeaders;
    private final ApiKeyFormat format;

    CredentialReader(ApiKeyConfig keys, AccessTokenConfig tokens, ApiKeyFormat format) {
        this.keyHeaders = canonical(keys.headers());
        this.tokenHeaders = canonical(tokens.headers());
        this.allHeaders = List.copyOf(new LinkedHashSet<>(Stream.concat(keyHeaders.stream(), tokenHeaders.stream()).toList()));
        this.format = format;
    }

    private static List<String> canonical(List<String> headers) {
        return headers.stream().map(h -> h.equalsIgnoreCase(AUTHORIZATION) ? AUTHORIZATION : h).distinct().toList();
    }

    public PresentedCredential read(RequestFacts request) {
        if (carriesCredential(request.queryParameters())) {
            return new PresentedCredential.InQuery();
        }
        String found = null;
        for (String header : allHeaders) {
            String value = valueOf(request, header);
            if (value == null) {
                continue;
            }
            if (found != null && !found.equals(value)) {
                return new PresentedCredential.Conflicting();
            }
            found = value;
        }
        if (found == null) {
            return new PresentedCredential.None();
        }
        if (format.looksLikeKey(found) && !carries(keyHeaders, found, request)) {
            return new PresentedCredential.WrongHeader(describe(keyHeaders));
        }
        if (JWT.matcher(found).matches() && !carries(tokenHeaders, found, request)) {
            return new PresentedCredential.WrongHeader(describe(tokenHeaders));
        }
        return new PresentedCredential.Token(found);
    }

    /** True when one of {@code headers} holds {@code value}. */
    private static boolean carries(List<String> headers, String value, RequestFacts request) {
        for (String header : headers) {
            if (value.equals(valueOf(request, header))) {
                return true;
            }
        }
        return false;
    }

    private static String valueOf(RequestFacts request, String header) {
        String raw = request.header(header);
        if (raw == null) {
            return null;
        }
        if (header.equals(AUTHORIZATION)) {
            if (!raw.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                return null; // Basic and other schemes are not ours to read here
            }
            raw = raw.substring(BEARER.length());
        }
        String value = raw.trim();
        return value.isEmpty() ? null : value;
    }

    private boolean carriesCredential(Iterable<Map.Entry<String, String>> query) {
        for (var parameter : query) {
            if (CREDENTIAL_PARAMETERS.contains(parameter.getKey().toLowerCase(Locale.ROOT))
                    || (parameter.getValue() != null && format.looksLikeKey(parameter.getValue()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether any header that carries credentials here is present at all, whatever it holds (another scheme,
     * nothing readable): where a person must act, such a request is not taken on its session alone.
     */
    public boolean anyCredentialHeader(RequestFacts request) {
        for (String header : allHeaders) {
            if (request.header(header) != null) {
                return true;
            }
        }
        return false;
    }

    /** Names the headers that carry API keys, for error messages. */
    public String apiKeyHeaders() {
        return describe(keyHeaders);
    }

    private static String describe(List<String> headers) {
        return String.join(" or ", headers.stream().map(h -> h.equals(AUTHORIZATION) ? "Authorization: Bearer" : h).toList());
    }
}
