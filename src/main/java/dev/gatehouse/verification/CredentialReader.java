package dev.gatehouse.guard;

import dev.gatehouse.pat.ApiKeyConfig;
import dev.gatehouse.pat.ApiKeyFormat;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads the credential from the headers this deployment accepts ({@code gatehouse.api-keys.headers}). */
@ApplicationScoped
public class CredentialReader {
    /** Query parameters that carry credentials by convention; any value shaped like one of our keys counts too. */
    private static final Set<String> CREDENTIAL_PARAMETERS = Set.of("access_token", "api_key", "apikey", "api-key", "x-api-key");
    private static final String BEARER = "bearer ";

    private final List<String> headers;
    private final boolean acceptsAuthorization;
    private final ApiKeyFormat format;

    CredentialReader(ApiKeyConfig config, ApiKeyFormat format) {
        this.headers = config.headers().stream().filter(h -> !h.equalsIgnoreCase(HttpHeaders.AUTHORIZATION)).toList();
        this.acceptsAuthorization = config.headers().stream().anyMatch(h -> h.equalsIgnoreCase(HttpHeaders.AUTHORIZATION));
        this.format = format;
    }

    public PresentedCredential read(HttpHeaders request, MultivaluedMap<String, String> query) {
        if (carriesCredential(query)) {
            return new PresentedCredential.InQuery();
        }
        String found = null;
        if (acceptsAuthorization) {
            String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
            if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                found = authorization.substring(BEARER.length()).trim();
            }
        }
        for (String header : headers) {
            String value = request.getHeaderString(header);
            if (value != null && !value.isBlank()) {
                if (found != null && !found.equals(value.trim())) {
                    return new PresentedCredential.Conflicting();
                }
                found = value.trim();
            }
        }
        return found == null || found.isEmpty() ? new PresentedCredential.None() : new PresentedCredential.Token(found);
    }

    /** The credential in an accepted header, if there is exactly one; null otherwise. */
    public String presented(HttpHeaders request) {
        return read(request, EMPTY_QUERY) instanceof PresentedCredential.Token token ? token.value() : null;
    }

    private boolean carriesCredential(MultivaluedMap<String, String> query) {
        for (var entry : query.entrySet()) {
            if (CREDENTIAL_PARAMETERS.contains(entry.getKey().toLowerCase(Locale.ROOT))) {
                return true;
            }
            for (String value : entry.getValue()) {
                if (format.looksLikeKey(value)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Names the accepted headers, for error messages. */
    public String acceptedHeaders() {
        return String.join(" or ", acceptsAuthorization
                ? java.util.stream.Stream.concat(java.util.stream.Stream.of("Authorization: Bearer"), headers.stream()).toList()
                : headers);
    }

    private static final MultivaluedMap<String, String> EMPTY_QUERY = new jakarta.ws.rs.core.MultivaluedHashMap<>();
}
