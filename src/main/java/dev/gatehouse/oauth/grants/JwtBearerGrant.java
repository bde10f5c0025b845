package dev.gatehouse.oauth.grants;

import dev.gatehouse.account.Account;
import dev.gatehouse.account.Accounts;
import dev.gatehouse.agent.AgentError;
import dev.gatehouse.agent.IdJagVerifier;
import dev.gatehouse.client.Client;
import dev.gatehouse.oauth.Authorizations;
import dev.gatehouse.token.Authorization;
import dev.gatehouse.oauth.IssuedTokens;
import dev.gatehouse.oauth.OAuthError;
import dev.gatehouse.oauth.Resources;
import dev.gatehouse.oauth.TokenIssuer;
import dev.gatehouse.scope.ScopeCatalogue;
import dev.gatehouse.token.SecretGenerator;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;

/**
 * {@code urn:ietf:params:oauth:grant-type:jwt-bearer} with an ID-JAG (draft-03 §2.4, RFC 7523): a
 * confidential client presents an identity assertion from a trusted provider, made out to our issuer and
 * naming this client. The person is found by the verified email (or made); the access token is for the
 * asserted scopes the client may have. No refresh token: the client presents the assertion again.
 */
@ApplicationScoped
public class JwtBearerGrant implements Grant {
    public static final String TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private final IdJagVerifier assertions;
    private final Accounts accounts;
    private final TokenIssuer issuer;
    private final Authorizations authorizations;
    private final Resources resources;
    private final SecretGenerator secrets;

    JwtBearerGrant(IdJagVerifier assertions, Accounts accounts, TokenIssuer issuer, Authorizations authorizations, Resources resources,
            SecretGenerator secrets) {
        this.assertions = assertions;
        this.accounts = accounts;
        this.issuer = issuer;
        this.authorizations = authorizations;
        this.resources = resources;
        this.secrets = secrets;
    }

    @Override
    public String grantType() {
        return TYPE;
    }

    @Override
    public IssuedTokens exchange(Client client, MultivaluedMap<String, String> form) {
        if (client.isPublic()) {
            throw OAuthError.unauthorizedClient("The ID-JAG profile is for confidential clients");
        }
        String assertion = form.getFirst("assertion");
        if (assertion == null || assertion.isBlank()) {
            throw OAuthError.invalidRequest("assertion is required");
        }
        IdJagVerifier.Assertion verified;
        try {
            verified = assertions.verify(assertion, IdJagVerifier.ID_JAG);
        } catch (AgentError refused) {
            throw OAuthError.invalidGrant(refused.getMessage());
        }
        if (!client.clientId().equals(verified.clientId())) {
            throw OAuthError.invalidGrant("The assertion's client_id is not the authenticated client");
        }
        if (verified.email() == null || !verified.emailVerified()) {
            throw OAuthError.invalidGrant("The assertion carries no verified email");
        }
        List<String> scopes = (verified.scopes().isEmpty() ? client.scopes() : verified.scopes()).stream()
                .filter(client::allowsScope).filter(scope -> !ScopeCatalogue.OIDC_SCOPES.contains(scope)).toList();
        if (scopes.isEmpty()) {
            throw OAuthError.invalidScope("None of the asserted scopes is allowed for this client");
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            Account account = accounts.findByEmail(verified.email())
                    .orElseGet(() -> accounts.signUp(verified.email(), secrets.opaque()));
            if (account.disabled()) {
                throw OAuthError.invalidGrant("The account is disabled");
            }
            Authorization authorization = authorizations.open(Authorization.open(client.clientId(), account.id(),
                    Authorization.GrantType.JWT_BEARER, scopes, List.of(resources.defaultResource()), null, null, issuer.now(),
                    issuer.authorizationExpiry(client)));
            return issuer.issue(TokenIssuer.Grant.of(client, authorization, scopes, authorization.audience(), null), false);
        });
    }
}
