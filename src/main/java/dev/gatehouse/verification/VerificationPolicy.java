package dev.gatehouse.verification;

import dev.gatehouse.token.TokenKind;
import java.util.Set;

/**
 * What one way in asks of a credential. The pipeline is the same for all; a policy only says which
 * kinds it takes, which scope it needs, and whether the use is metered and recorded.
 *
 * @param kinds        the token kinds accepted here
 * @param scope        the scope required, or null for none
 * @param audience     the audience a JWT must name, or null for any (introspection: the store decides)
 * @param firstPartyOnly OAuth tokens must come from a first-party client (managing keys as a person)
 * @param kindRefusal  what a live credential of another kind is told
 * @param metered      count the use (rate limits, quotas, usage); off where nothing is being used
 * @param price        what a metered request costs in credits; null where nothing is charged (managing keys)
 */
public record VerificationPolicy(Set<TokenKind> kinds, String scope, String audience, boolean firstPartyOnly,
        String kindRefusal, boolean metered, Price price) {

    /**
     * What one request costs in credits.
     *
     * @param route   the route table entry it matched (a plan may price it, or leave it out); null: none
     * @param credits the route table's cost, or the caller's
     * @param fixed   the caller set {@code credits} (the verify API's {@code cost}): no plan prices it otherwise
     */
    public record Price(String route, long credits, boolean fixed) {
        /** A call with no route table entry: one credit (or one request of a quota). */
        public static final Price ONE = new Price(null, 1, false);

        /** A route's price, which the owner's plan may set otherwise. */
        public Price(String route, long credits) {
            this(route, credits, false);
        }
    }

    public VerificationPolicy(Set<TokenKind> kinds, String scope, String audience, boolean firstPartyOnly,
            String kindRefusal, boolean metered) {
        this(kinds, scope, audience, firstPartyOnly, kindRefusal, metered, null);
    }

    /** The same policy for a request with this price (a route's). */
    public VerificationPolicy costing(Price price) {
        return new VerificationPolicy(kinds, scope, audience, firstPartyOnly, kindRefusal, metered, price);
    }

    /** Tokens that authenticate calls to an API. Sessions stay in the dashboard. */
    public static final Set<TokenKind> API_CREDENTIALS = Set.of(TokenKind.API_KEY, TokenKind.AGENT, TokenKind.ACCESS);

    /** A call to a protected API needing {@code scope}, with access tokens for {@code audience}. */
    public static VerificationPolicy api(String scope, String audience) {
        return new VerificationPolicy(API_CREDENTIALS, scope, audience, false,
                "This kind of credential cannot call this API", true, Price.ONE);
    }

    /**
     * A person acting through a first-party app (managing keys): OAuth access tokens only, never an API
     * key, so a leaked key can never mint more keys (seed 000's humans-only rule).
     */
    public static VerificationPolicy person(String managementScope, String audience) {
        return new VerificationPolicy(Set.of(TokenKind.ACCESS), managementScope, audience, true,
                "API keys cannot manage API keys: sign in to the dashboard as a person", true);
    }

    /** RFC 7662: is this token live? No scope, no address, no use counted: the caller is not using it. */
    public static VerificationPolicy introspection(Set<TokenKind> kinds) {
        return new VerificationPolicy(kinds, null, null, false, "Not introspectable", false);
    }
}
