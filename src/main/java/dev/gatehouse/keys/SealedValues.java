package dev.gatehouse.keys;

import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Small values a browser carries for Gatehouse and brings back (a sign-in in flight, a pending link, a key to
 * show once): sealed for one purpose with {@link PrivateKeyVault#sealFor}, so only this service can read or
 * change them and none opens as another, and good until a time sealed inside, so none works for longer.
 */
@ApplicationScoped
public class SealedValues {
    /** No sealed value of Gatehouse's is near this long; anything longer is not one and is not parsed. */
    private static final int MAX_SEALED_LENGTH = 8192;
    private static final String UNTIL = "until";

    private final PrivateKeyVault vault;
    private final Clock clock;

    SealedValues(PrivateKeyVault vault, Clock clock) {
        this.vault = vault;
        this.clock = clock;
    }

    /** {@code fields}, sealed for {@code purpose}, good until {@code until}. */
    public String seal(String purpose, JsonObject fields, Instant until) {
        return vault.sealFor(purpose, fields.copy().put(UNTIL, until.getEpochSecond()).encode());
    }

    /** The fields sealed for {@code purpose}, while they are good; empty for anything else, expired or unreadable. */
    public Optional<JsonObject> open(String purpose, String sealed) {
        if (sealed == null || sealed.isBlank() || sealed.length() > MAX_SEALED_LENGTH) {
            return Optional.empty();
        }
        try {
            JsonObject opened = new JsonObject(vault.openFor(purpose, sealed));
            return clock.instant().isBefore(until(opened)) ? Optional.of(opened) : Optional.empty();
        } catch (RuntimeException unreadable) {
            return Optional.empty(); // sealed under a key since replaced, for another purpose, or not ours
        }
    }

    /** When opened fields stop being good. */
    public static Instant until(JsonObject opened) {
        return Instant.ofEpochSecond(opened.getLong(UNTIL, 0L));
    }
}
