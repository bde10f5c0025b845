package dev.gatehouse.discovery;

import dev.gatehouse.keys.KeyRing;
import dev.gatehouse.oauth.OAuthConfig;
import dev.gatehouse.oauth.Resources;
import dev.gatehouse.scope.ScopeCatalogue;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The RFC 8414 document (also served as OpenID Connect discovery): every field of specs.md appendix A
 * that applies, built once from configuration. No array is ever empty (§3.2); {@code issuer} is the
 * configured issuer exactly (§3.3).
 */
@ApplicationScoped
public class AuthorizationServerMetadata {
    static final List<String> AUTH_METHODS = List.of("client_secret_basic", "client_secret_post", "none");

    private final Map<String, Object> document;

    AuthorizationServerMetadata(Resources resources, ScopeCatalogue catalogue, OAuthConfig oauth, KeyRing ring,
            dev.gatehouse.agent.AgentConfig agents, dev.gatehouse.agent.IdJagVerifier assertions,
            dev.gatehouse.agent.AgentSignUp signUp, dev.gatehouse.mail.MailSetup mail) {
        // Flows that need mail are advertised only where mail can be sent (issue 9 §3).
        boolean verifiedEmail = agents.verifiedEmail().enabled() && mail.available();
        List<String> scopes = catalogue.oauthScopes();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", resources.issuer());
        doc.put("authorization_endpoint", resources.endpoint("/oauth2/authorize"));
        doc.put("token_endpoint", resources.endpoint("/oauth2/token"));
        doc.put("jwks_uri", resources.endpoint("/oauth2/jwks"));
        doc.put("registration_endpoint", resources.endpoint("/oauth2/register"));
        doc.put("revocation_endpoint", resources.endpoint("/oauth2/revoke"));
        doc.put("introspection_endpoint", resources.endpoint("/oauth2/introspect"));
        doc.put("userinfo_endpoint", resources.endpoint("/oauth2/userinfo"));
        doc.put("scopes_supported", scopes);
        doc.put("response_types_supported", List.of("code"));
        doc.put("response_modes_supported", List.of("query"));
        List<String> grantTypes = new java.util.ArrayList<>(List.of("authorization_code", "refresh_token", "client_credentials"));
        if (assertions.enabled()) {
            // draft-03 §2.4: the ID-JAG profile, and therefore the jwt-bearer grant it rides on.
            grantTypes.add("urn:ietf:params:oauth:grant-type:jwt-bearer");
            doc.put("authorization_grant_profiles_supported", List.of("urn:ietf:params:oauth:grant-profile:id-jag"));
        }
        doc.put("grant_types_supported", grantTypes);
        doc.put("token_endpoint_auth_methods_supported", AUTH_METHODS);
        doc.put("revocation_endpoint_auth_methods_supported", AUTH_METHODS);
        doc.put("introspection_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        doc.put("code_challenge_methods_supported", List.of("S256"));
        doc.put("authorization_response_iss_parameter_supported", true);
        doc.put("client_id_metadata_document_supported", oauth.clientMetadata().enabled());
        doc.put("subject_types_supported", List.of("public"));
        // RS256 always: OpenID Connect Discovery §3 requires it; the deployment's algorithm besides.
        doc.put("id_token_signing_alg_values_supported", ring.algorithms().stream().map(Enum::name).toList());
        doc.put("claims_supported", List.of("iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "azp", "email",
                "email_verified", "preferred_username"));
        doc.put("protected_resources", List.of(resources.defaultResource()));
        if (signUp.uri().isPresent()) {
            // Sign-up only (seed 004): its block keeps register_uri, whose answer is the pointer to sign-up, and
            // says so up front: no identity type is accepted (auth.md: an unlisted method is not accepted), and
            // sign_up_uri is where a person gets a key. No claim_uri: there is never anything to claim.
            Map<String, Object> agentAuth = new LinkedHashMap<>();
            agentAuth.put("skill", resources.endpoint("/auth.md"));
            agentAuth.put("register_uri", resources.endpoint("/agent/auth"));
            agentAuth.put("sign_up_uri", signUp.uri().get());
            agentAuth.put("identity_types_supported", List.of());
            doc.put("agent_auth", agentAuth);
        } else if (agents.anonymous().enabled() || assertions.enabled() || verifiedEmail) {
            // auth.md v0.1 (specs.md §1.1): only what this deployment serves is listed.
            Map<String, Object> agentAuth = new LinkedHashMap<>();
            List<String> identityTypes = new java.util.ArrayList<>();
            agentAuth.put("skill", resources.endpoint("/auth.md"));
            agentAuth.put("register_uri", resources.endpoint("/agent/auth"));
            if (agents.anonymous().enabled()) {
                if (mail.available()) {
                    agentAuth.put("claim_uri", resources.endpoint("/agent/auth/claim")); // a claim is an emailed link
                }
                identityTypes.add("anonymous");
                agentAuth.put("anonymous", Map.of("credential_types_supported", List.of("api_key")));
            }
            List<String> assertionTypes = new java.util.ArrayList<>();
            if (assertions.enabled()) {
                assertionTypes.add("urn:ietf:params:oauth:token-type:id-jag");
                agentAuth.put("revocation_uri", resources.endpoint("/agent/auth/revoke"));
                agentAuth.put("events_supported", List.of(dev.gatehouse.agent.AgentAuthResource.REVOKED_EVENT));
            }
            if (verifiedEmail) {
                assertionTypes.add("verified_email");
                agentAuth.putIfAbsent("claim_uri", resources.endpoint("/agent/auth/claim"));
            }
            if (!assertionTypes.isEmpty()) {
                identityTypes.add("identity_assertion");
                agentAuth.put("identity_assertion", Map.of("assertion_types_supported", assertionTypes,
                        "credential_types_supported", List.of("api_key")));
            }
            agentAuth.put("identity_types_supported", identityTypes);
            doc.put("agent_auth", agentAuth);
        }
        this.document = java.util.Collections.unmodifiableMap(doc);
    }

    public Map<String, Object> document() {
        return document;
    }
}
