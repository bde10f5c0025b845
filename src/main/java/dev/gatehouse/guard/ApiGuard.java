package dev.gatehouse.guard;

import dev.gatehouse.oauth.Resources;
import dev.gatehouse.verification.Verification;
import dev.gatehouse.verification.VerificationPipeline;
import dev.gatehouse.verification.VerificationPolicy;
import dev.gatehouse.web.ClientAddresses;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;

/** Authenticates a call to an API Gatehouse serves: the verification pipeline, its refusals as HTTP. */
@ApplicationScoped
public class ApiGuard {
    private final VerificationPipeline pipeline;
    private final Refusals refusals;
    private final ClientAddresses addresses;
    private final String audience;

    ApiGuard(VerificationPipeline pipeline, Refusals refusals, ClientAddresses addresses, Resources resources) {
        this.pipeline = pipeline;
        this.refusals = refusals;
        this.addresses = addresses;
        this.audience = resources.defaultResource();
    }

    /** The caller, if the request carries a live credential holding {@code scope}; otherwise throws the refusal. */
    public Caller require(HttpServerRequest request, String scope) {
        Verification verification = pipeline.verify(HttpRequestFacts.of(request, addresses), VerificationPolicy.api(scope, audience));
        if (!verification.isValid()) {
            throw refusals.problem(verification);
        }
        // Rate-limit and credit headers go on the answer the endpoint is about to write.
        verification.headers().forEach(request.response()::putHeader);
        return new Caller(verification.token());
    }
}
