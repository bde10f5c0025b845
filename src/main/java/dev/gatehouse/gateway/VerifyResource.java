package dev.gatehouse.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.client.Client;
import dev.gatehouse.client.ClientAuthentication;
import dev.gatehouse.guard.Refusals;
import dev.gatehouse.oauth.NoStore;
import dev.gatehouse.oauth.OAuthError;
import dev.gatehouse.verification.CreditCharge;
import dev.gatehouse.verification.Quota;
import dev.gatehouse.verification.RequestFacts;
import dev.gatehouse.verification.Verification;
import dev.gatehouse.verification.VerificationCode;
import dev.gatehouse.verification.VerificationPipeline;
import dev.gatehouse.verification.VerificationPolicy;
import dev.gatehouse.web.ApiProblem;
import inet.ipaddr.IPAddress;
import io.quarkus.runtime.annotations.RegisterForReflection;
import dev.gatehouse.scope.ScopeCatalogue;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code POST /v1/keys/verify}: a service that checks keys itself asks Gatehouse about one. The same
 * pipeline as every other way in runs, with the request the service describes (method and path for the
 * route table, the client's address for the allowlist). A well-formed call always gets 200 with the verdict
 * in the body, as Unkey's verify does; 400 is bad input, 401/403 a caller that may not ask.
 */
// On a virtual thread: a metered request waits for its Redis round trip, and a parked virtual thread costs
// no OS thread switch (docs/benchmarks.md).
@RunOnVirtualThread
@Path("/v1/keys/verify")
public class VerifyResource {
    public static final String SCOPE = ScopeCatalogue.VERIFY;

    private final VerificationPipeline pipeline;
    private final RoutePolicies policies;
    private final Refusals refusals;
    private final ClientAuthentication clients;
    private final java.util.Set<String> configuredClients;

    VerifyResource(VerificationPipeline pipeline, RoutePolicies policies, Refusals refusals, ClientAuthentication clients,
            VerifyConfig config) {
        this.pipeline = pipeline;
        this.policies = policies;
        this.refusals = refusals;
        this.clients = clients;
        this.configuredClients = java.util.Set.copyOf(config.clients().keySet());
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Answer(boolean valid, VerifyCode code, UUID account, UUID keyId, List<String> scopes, String environment,
            RateLimit ratelimit, Credits credits, Map<String, String> headers) {
    }

    @RegisterForReflection
    public record RateLimit(long limit, long remaining, long reset) {
    }

    @RegisterForReflection
    public record Credits(long used, long remaining) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response verify(@Context HttpHeaders headers, JsonNode body) {
        authenticateCaller(headers);
        VerifyRequest request = VerifyRequest.parse(body);
        return NoStore.ok(answer(request));
    }

    /** HTTP Basic as a confidential client holding {@value #SCOPE}; the OAuth error becomes the API's shape. */
    private void authenticateCaller(HttpHeaders headers) {
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw refusals.callerUnauthenticated();
        }
        Client client;
        try {
            client = clients.authenticateConfidential(headers, new MultivaluedHashMap<>());
        } catch (OAuthError e) {
            throw refusals.callerUnauthenticated();
        }
        // Configuration is the list of record until an admin API exists: a client removed from it keeps its
        // row (and scope) in the clients table, but no longer verifies anything.
        if (!client.allowsScope(SCOPE) || !configuredClients.contains(client.clientId())) {
            throw refusals.callerLacks(SCOPE);
        }
    }

    private Answer answer(VerifyRequest request) {
        RequestFacts facts = new KeyFacts(request.key(), request.ip());
        LinkedHashSet<String> required = new LinkedHashSet<>();
        VerificationPolicy.Price price = VerificationPolicy.Price.ONE;
        String routeName = null;
        if (request.path() != null) {
            Optional<Route> route = policies.routeFor(request.method(), request.path());
            if (route.isEmpty()) {
                Verification credential = pipeline.verify(facts, policies.credentialOnly());
                return credential.isValid() ? verdict(credential, VerifyCode.NO_ROUTE) : verdict(credential, null);
            }
            if (route.get().scope() != null) {
                required.add(route.get().scope());
            }
            routeName = route.get().name();
            price = new VerificationPolicy.Price(routeName, route.get().cost());
        }
        required.addAll(request.scopes());
        if (request.cost() != null) {
            // The caller's price stands, whatever the plan; the plan may still leave the route out.
            price = new VerificationPolicy.Price(routeName, request.cost(), true);
        }
        if (required.size() > 1) {
            // The pipeline checks one scope; the others are checked first, unmetered, so that a key refused
            // for a missing scope is never charged.
            Verification credential = pipeline.verify(facts, policies.credentialOnly());
            if (!credential.isValid()) {
                return verdict(credential, null);
            }
            for (String scope : required) {
                if (!credential.token().hasScope(scope)) {
                    return verdict(new Verification(VerificationCode.INSUFFICIENT_SCOPE, credential.token(),
                            "This credential lacks the scope " + scope, scope, Map.of(), null, null, null), null);
                }
            }
        }
        String scope = required.isEmpty() ? null : required.getFirst();
        return verdict(pipeline.verify(facts, policies.policy(scope, price)), null);
    }

    private Answer verdict(Verification verification, VerifyCode override) {
        if (verification.code() == VerificationCode.UNAVAILABLE) {
            throw refusals.problem(verification); // no verdict: 503, try again
        }
        VerifyCode code = override != null ? override : VerifyCode.of(verification.code());
        var token = verification.token();
        boolean identified = token != null && code != VerifyCode.NOT_FOUND;
        Quota quota = verification.rateLimit();
        CreditCharge charge = verification.credits();
        return new Answer(code == VerifyCode.VALID, code,
                identified ? token.accountId() : null,
                identified ? token.id() : null,
                identified ? token.scopes() : null,
                identified && token.environment() != null ? token.environment().value() : null,
                quota == null ? null : new RateLimit(quota.limit(), quota.remaining(), quota.resetEpochSeconds()),
                charge == null ? null : new Credits(verification.isValid() ? charge.used() : 0, charge.remaining()),
                verification.headers());
    }

    /**
     * The key as if a request carried it: in every header the pipeline reads (as a Bearer value in
     * Authorization), so that whichever this deployment accepts finds it; no query; the given address.
     */
    private record KeyFacts(String key, IPAddress clientAddress) implements RequestFacts {
        @Override
        public String header(String name) {
            return name.equalsIgnoreCase(HttpHeaders.AUTHORIZATION) ? "Bearer " + key : key;
        }

        @Override
        public Iterable<Map.Entry<String, String>> queryParameters() {
            return List.of();
        }

        @Override
        public String toString() {
            return "KeyFacts[" + clientAddress + "]"; // never the key
        }
    }
}
