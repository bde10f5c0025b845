package dev.gatehouse.guard;

import dev.gatehouse.account.Sessions;
import dev.gatehouse.oauth.OAuthConfig;
import dev.gatehouse.oauth.Resources;
import dev.gatehouse.verification.CredentialReader;
import dev.gatehouse.verification.Verification;
import dev.gatehouse.verification.VerificationCode;
import dev.gatehouse.verification.VerificationPipeline;
import dev.gatehouse.verification.VerificationPolicy;
import dev.gatehouse.web.ApiProblem;
import dev.gatehouse.web.ClientAddresses;
import dev.gatehouse.web.RequestOrigin;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.UUID;

/**
 * The humans-only rule (seed 000): managing keys needs a signed-in person, either by dashboard session or
 * by a first-party client's JWT carrying the management scope. Any credential in a request decides it,
 * through the verification pipeline: an API key is refused outright, even a valid one and even next to a
 * session, so a leaked key can never mint more keys; and so is any credential header at all, readable or
 * not, so two keys that disagree cannot leave the session to decide.
 *
 * <p>A session is a cookie the browser sends by itself, so a call that changes something on its strength
 * must come from this site's own pages (not cross-site, by {@code Sec-Fetch-Site} or {@code Origin}) and,
 * when it has a body, be {@code application/json}, which no HTML form can send.
 */
@ApplicationScoped
public class PersonGuard {
    private final Sessions sessions;
    private final VerificationPipeline pipeline;
    private final Refusals refusals;
    private final ClientAddresses addresses;
    private final VerificationPolicy policy;
    private final BearerChallenge challenge;

    private final CredentialReader credentials;

    PersonGuard(Sessions sessions, VerificationPipeline pipeline, Refusals refusals, ClientAddresses addresses,
            OAuthConfig oauth, Resources resources, BearerChallenge challenge, CredentialReader credentials) {
        this.credentials = credentials;
        this.sessions = sessions;
        this.pipeline = pipeline;
        this.refusals = refusals;
        this.addresses = addresses;
        this.policy = VerificationPolicy.person(oauth.managementScope(), resources.defaultResource());
        this.challenge = challenge;
    }

    /** The account of the person behind the request; throws 401 or 403 otherwise. */
    public UUID require(HttpHeaders headers, HttpServerRequest request) {
        HttpRequestFacts facts = HttpRequestFacts.of(request, addresses);
        Verification verification = pipeline.verify(facts, policy);
        if (verification.isValid()) {
            return verification.token().accountId();
        }
        if (verification.code() != VerificationCode.MISSING) {
            throw refusals.problem(verification);
        }
        if (credentials.anyCredentialHeader(facts)) {
            throw new ApiProblem(401, "A credential header is present but holds nothing this endpoint takes; "
                    + "send a session alone, or a first-party access token").header("WWW-Authenticate", challenge.missing());
        }
        UUID account = sessions.current(headers).map(person -> person.accountId())
                .orElseThrow(() -> new ApiProblem(401, "Sign in to manage API keys").header("WWW-Authenticate", challenge.missing()));
        checkSameSite(request);
        return account;
    }

    private static void checkSameSite(HttpServerRequest request) {
        HttpMethod method = request.method();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS) {
            return;
        }
        if (RequestOrigin.isCrossSite(request)) {
            throw ApiProblem.forbidden("This request came from another site; a session cannot change anything from there");
        }
        String length = request.getHeader("Content-Length");
        boolean hasBody = request.getHeader("Transfer-Encoding") != null || length != null && !length.strip().equals("0");
        String type = request.getHeader("Content-Type");
        if (hasBody && (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json"))) {
            throw new ApiProblem(415, "Send the request body as application/json");
        }
    }
}
