package dev.gatehouse.guard;

import dev.gatehouse.account.Sessions;
import dev.gatehouse.oauth.OAuthConfig;
import dev.gatehouse.oauth.Resources;
import dev.gatehouse.verification.Verification;
import dev.gatehouse.verification.VerificationCode;
import dev.gatehouse.verification.VerificationPipeline;
import dev.gatehouse.verification.VerificationPolicy;
import dev.gatehouse.web.ApiProblem;
import dev.gatehouse.web.ClientAddresses;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.UUID;

/**
 * The humans-only rule (seed 000): managing keys needs a signed-in person, either by dashboard session or
 * by a first-party client's JWT carrying the management scope. Any credential in a request decides it,
 * through the verification pipeline: an API key is refused outright, even a valid one and even next to a
 * session, so a leaked key can never mint more keys.
 */
@ApplicationScoped
public class PersonGuard {
    private final Sessions sessions;
    private final VerificationPipeline pipeline;
    private final Refusals refusals;
    private final ClientAddresses addresses;
    private final VerificationPolicy policy;
    private final BearerChallenge challenge;

    PersonGuard(Sessions sessions, VerificationPipeline pipeline, Refusals refusals, ClientAddresses addresses,
            OAuthConfig oauth, Resources resources, BearerChallenge challenge) {
        this.sessions = sessions;
        this.pipeline = pipeline;
        this.refusals = refusals;
        this.addresses = addresses;
        this.policy = VerificationPolicy.person(oauth.managementScope(), resources.defaultResource());
        this.challenge = challenge;
    }

    /** The account of the person behind the request; throws 401 or 403 otherwise. */
    public UUID require(HttpHeaders headers, HttpServerRequest request) {
        Verification verification = pipeline.verify(HttpRequestFacts.of(request, addresses), policy);
        if (verification.isValid()) {
            return verification.token().accountId();
        }
        if (verification.code() != VerificationCode.MISSING) {
            throw refusals.problem(verification);
        }
        return sessions.current(headers).map(person -> person.accountId())
                .orElseThrow(() -> new ApiProblem(401, "Sign in to manage API keys").header("WWW-Authenticate", challenge.missing()));
    }
}
