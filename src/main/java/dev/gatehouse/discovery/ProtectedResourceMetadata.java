package dev.gatehouse.discovery;

import dev.gatehouse.oauth.Resources;
import dev.gatehouse.scope.ScopeCatalogue;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** RFC 9728 metadata for the API Gatehouse protects; every 401 points here (seed 004). */
@ApplicationScoped
public class ProtectedResourceMetadata {
    private final Map<String, Object> document;

    ProtectedResourceMetadata(Resources resources, ScopeCatalogue catalogue) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("resource", resources.defaultResource());
        doc.put("authorization_servers", List.of(resources.issuer()));
        doc.put("jwks_uri", resources.endpoint("/oauth2/jwks"));
        doc.put("scopes_supported", List.copyOf(catalogue.describe().keySet()));
        // Credentials travel in headers only; query strings are refused (RFC 6750 §2.3, seed 000).
        doc.put("bearer_methods_supported", List.of("header"));
        doc.put("resource_name", "Gatehouse API");
        this.document = doc;
    }

    public Map<String, Object> document() {
        return document;
    }
}
