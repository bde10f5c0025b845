package dev.gatehouse.agent;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code gatehouse.agent.*}: agents that register themselves (auth.md v0.1). */
@ConfigMapping(prefix = "gatehouse.agent")
public interface AgentConfig {
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
