package dev.gatehouse.agent;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code gatehouse.agent.*}: agents that register themselves (auth.md v0.1). */
@ConfigMapping(prefix = "gatehouse.agent")
public interface AgentConfig {
    /**
     * Whether agents may register themselves at {@code POST /agent/auth}. {@code sign-up-only} is seed 004's
     * service, which "issues API keys per account rather than minting anonymous credentials": every
     * registration is answered with a pointer to {@link #signUpUri()}, and the method settings below
     * ({@code anonymous}, {@code verified-email}, {@code providers}) mint nothing.
     */
    @WithDefault("open")
    Registration registration();

    /**
     * Where a person signs up and creates a key, given to agents when {@code registration=sign-up-only};
     * default: this server's {@code /signup} page. Refused with {@code open}, where no agent is told it.
     */
    Optional<URI> signUpUri();

    enum Registration {
        /** Agents register by the methods enabled below. */
        OPEN,
        /** Agents are sent to a person's sign-up; nothing is minted for them. */
        SIGN_UP_ONLY
    }

    Anonymous anonymous();

    RateLimits rateLimits();

    /** Agent providers whose identity assertions (ID-JAG) this deployment trusts, by name. Security-critical. */
    Map<String, Provider> providers();

    /** How far a provider's clock may be ahead of ours. */
    @WithDefault("60s")
    Duration clockSkew();

    /** Scopes of an unclaimed agent key; default: the reference endpoint's scope only. */
    Optional<List<String>> preClaimScopes();

    /** Scopes the key gets once a person claims it; default: the whole catalogue. */
    Optional<List<String>> postClaimScopes();

    /** How long an agent may wait before its registration is claimed. */
    @WithDefault("24h")
    Duration claimTokenLifetime();

    /** How long the emailed link, and the one-time code it shows, stay valid. */
    @WithDefault("10m")
    Duration claimLinkLifetime();

    /** Wrong one-time codes allowed before the person must show a new one. */
    @WithDefault("5")
    int otpMaxFailures();

    ClaimLimits claimLimits();

    /**
     * Brute-force limits on the claim ceremony, per window, per email (the account a claim would join) and
     * per caller address: mails sent (claim links and email-registration codes), so nobody can flood an
     * inbox; and wrong one-time codes, on top of {@link #otpMaxFailures()} per code.
     */
    interface ClaimLimits {
        /** Claim links one registration may mail in its life, whatever addresses it names. */
        @WithDefault("3")
        int mailsPerRegistration();

        @WithDefault("5")
        int mailsPerEmail();

        @WithDefault("20")
        int mailsPerAddress();

        @WithDefault("10")
        int wrongCodesPerEmail();

        @WithDefault("20")
        int wrongCodesPerAddress();

        @WithDefault("1h")
        Duration window();
    }

    /** Registrations per hour (specs.md §1.6), per caller address and over all callers. */
    interface RateLimits {
        @WithDefault("5")
        int anonymousPerAddress();

        @WithDefault("100")
        int anonymousOverall();

        @WithDefault("60")
        int identityAssertionPerAddress();

        @WithDefault("1000")
        int identityAssertionOverall();

        @WithDefault("1h")
        Duration window();
    }

    interface Provider {
        /** The provider's issuer identifier: the {@code iss} of its assertions. */
        String issuer();

        /** Where its signing keys are; default {@code <issuer>/.well-known/jwks.json}. */
        Optional<String> jwksUri();

        /** The {@code client_id}s its assertions may name besides its issuer (specs.md §1.6). */
        Optional<List<String>> clientIds();
    }

    VerifiedEmail verifiedEmail();

    interface VerifiedEmail {
        /** Email required: no credential until the person's emailed code comes back. */
        @WithDefault("true")
        boolean enabled();
    }

    interface Anonymous {
        /** Anonymous start: a working key at once, claimed by a person later. */
        @WithDefault("true")
        boolean enabled();
    }
}
