package dev.gatehouse.verification;

import dev.gatehouse.state.CreditCounters.Charge;
import dev.gatehouse.state.Meter.ChargeAsk;
import dev.gatehouse.token.TokenHash;
import dev.gatehouse.token.TokenRecord;
import java.time.Instant;
import java.util.Optional;

/** What the steps have established so far about one request. Lives for one verification only. */
public final class VerificationContext {
    /** How a credential proved itself before any lookup. */
    enum Shape {
        /** An API key with a valid checksum. */
        API_KEY,
        /** A JWT with a valid signature, or one this node already knows. */
        ACCESS_TOKEN,
        /** An opaque secret (a refresh token) that only the store can judge. */
        OPAQUE
    }

    private final RequestFacts request;
    private final VerificationPolicy policy;
    private final Instant now;
    String presented;
    Shape shape;
    TokenRecord token;
    /** An access token as its JWT says, before the revocation list is asked. */
    TokenRecord accessToken;
    private TokenHash hash;
    private final java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
    private Quota rateLimit;
    private CreditCharge credits;
    private ChargeAsk chargeAhead;
    private Charge chargedAhead;

    VerificationContext(RequestFacts request, String presented, VerificationPolicy policy, Instant now) {
        this.request = request;
        this.presented = presented;
        this.policy = policy;
        this.now = now;
    }

    /** The request's facts; null when the credential was handed over directly (introspection). */
    public RequestFacts request() {
        return request;
    }

    public VerificationPolicy policy() {
        return policy;
    }

    public Instant now() {
        return now;
    }

    /** The credential found so far. Never log it. */
    String presented() {
        return presented;
    }

    /** The live token, once it was looked up. */
    public TokenRecord token() {
        return token;
    }

    /** Adds a header the caller's client should see, whatever the outcome (rate limits, credits). */
    public void respondWith(String name, String value) {
        headers.put(name, value);
    }

    /** Records where the caller stands against its tightest rate limit, for answers that report it (verify API). */
    public void rateLimit(Quota quota) {
        this.rateLimit = quota;
    }

    public Quota rateLimit() {
        return rateLimit;
    }

    /** Records what the request cost its owner's balance, for answers that report it (verify API). */
    public void credits(CreditCharge charge) {
        this.credits = charge;
    }

    public CreditCharge credits() {
        return credits;
    }

    /**
     * A charge worked out before the rate limit is counted, so that the rate-limit step makes it in the
     * same round trip as its count (docs/benchmarks.md: each round trip to Redis costs as much as the rest
     * of the request). The credits step reads what came of it.
     */
    public void chargeAhead(ChargeAsk ask) {
        this.chargeAhead = ask;
    }

    public Optional<ChargeAsk> chargeAhead() {
        return Optional.ofNullable(chargeAhead);
    }

    /** What came of the charge asked ahead, if the rate-limit step made it. */
    public void chargedAhead(Charge charge) {
        this.chargedAhead = charge;
    }

    public Optional<Charge> chargedAhead() {
        return Optional.ofNullable(chargedAhead);
    }

    /** The headers gathered so far. */
    public java.util.Map<String, String> headers() {
        return headers;
    }

    /** The presented credential's hash, computed once for every step that needs it. */
    TokenHash hash() {
        if (hash == null) {
            hash = TokenHash.of(presented);
        }
        return hash;
    }
}
