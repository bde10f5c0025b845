package dev.gatehouse.keys;

import java.time.Duration;

/** How long the JWTs a key signs can live; a retired key must verify at least that long. */
public interface SignedTokenLifetimes {
    /**
     * How far apart two nodes' clocks may be. A token's {@code iat} comes from the clock of the node that
     * signed it, so whatever compares it with another node's moment allows this much.
     */
    Duration NODE_CLOCK_SKEW = Duration.ofMinutes(1);

    Duration longest();
}
