package dev.gatehouse.keys;

import java.time.Duration;

/** How long the JWTs a key signs can live; a retired key must verify at least that long. */
public interface SignedTokenLifetimes {
    Duration longest();
}
