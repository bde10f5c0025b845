package dev.gatehouse.oauth;

import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedMap;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * check_form_limits: the HTTP form limits ({@code quarkus.http.limits.max-form-fields}, {@code
 * max-form-attribute-size}) for the OAuth endpoints' forms, however they were read. Over HTTP/1.1 the server's
 * form decoder holds them already ({@code web.FormBodies}); an HTTP/2 form reaches the endpoint as a stream the
 * REST layer parses without them, so a caller could otherwise choose HTTP/2 to send one field of a megabyte, or
 * thousands of fields. Refused in the OAuth error shape (RFC 6749 §5.2), before anything else is read.
 */
@ApplicationScoped
public class FormLimits {
    private final int maxFields;
    private final long maxFieldBytes;

    FormLimits(@ConfigProperty(name = "quarkus.http.limits.max-form-fields", defaultValue = "256") int maxFields,
            @ConfigProperty(name = "quarkus.http.limits.max-form-attribute-size", defaultValue = "2048") MemorySize maxFieldBytes) {
        this.maxFields = maxFields;
        this.maxFieldBytes = maxFieldBytes.asLongValue();
    }

    public void check(MultivaluedMap<String, String> form) {
        int fields = 0;
        for (var entry : form.entrySet()) {
            for (String value : entry.getValue()) {
                fields++;
                if (value != null && value.length() > maxFieldBytes / 4 && value.getBytes(StandardCharsets.UTF_8).length > maxFieldBytes) {
                    throw OAuthError.invalidRequest("The form could not be read: a field too long, too many fields, or malformed");
                }
            }
        }
        if (fields > maxFields) {
            throw OAuthError.invalidRequest("The form could not be read: a field too long, too many fields, or malformed");
        }
    }
}
