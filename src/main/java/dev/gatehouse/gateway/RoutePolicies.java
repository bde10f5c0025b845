package dev.gatehouse.gateway;

import dev.gatehouse.oauth.Resources;
import dev.gatehouse.verification.VerificationPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** What the route table makes of a request, as a verification policy: the same for forward-auth and the verify API. */
@ApplicationScoped
class RoutePolicies {
    private final RouteTable table;
    private final GatewayConfig.Unmatched unmatched;
    private final String audience;

    RoutePolicies(RouteTable table, GatewayConfig config, Resources resources) {
        this.table = table;
        this.unmatched = config.unmatched();
        this.audience = resources.defaultResource();
    }

    /** The route that prices this request; empty when none does and the deployment denies such requests. */
    Optional<Route> routeFor(String method, RequestPath path) {
        Optional<Route> found = table.match(method, path);
        if (found.isPresent() || unmatched == GatewayConfig.Unmatched.DENY) {
            return found;
        }
        return Optional.of(Route.UNMATCHED);
    }

    /** A metered call to an API needing {@code scope}, at {@code price}. */
    VerificationPolicy policy(String scope, VerificationPolicy.Price price) {
        return VerificationPolicy.api(scope, audience).costing(price);
    }

    /** A request matched by {@code route}: its scope, and its cost (which the owner's plan may price otherwise). */
    VerificationPolicy policy(Route route) {
        return policy(route.scope(), new VerificationPolicy.Price(route.name(), route.cost()));
    }

    /**
     * Only "is this a live API credential, allowed from this address": nothing counted or charged. Used
     * before an answer that no route prices, and before checking several scopes at once.
     */
    VerificationPolicy credentialOnly() {
        VerificationPolicy api = VerificationPolicy.api(null, audience);
        return new VerificationPolicy(api.kinds(), null, audience, false, api.kindRefusal(), false);
    }
}
