package dev.gatehouse.testing;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The application's clock in tests: real time plus an offset a test can move, so expiry is tested by
 * moving time instead of sleeping. A test that moves it puts it back ({@link #reset()}) when done.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class MovableClock extends Clock {
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    public void advance(Duration by) {
        offset.updateAndGet(current -> current.plus(by));
    }

    /**
     * Moves to just after the next boundary of {@code window} (windows aligned to the epoch, as rate
     * limits count them), so a test's requests all fall in one fresh window.
     */
    public void toStartOfNext(Duration window) {
        long into = instant().toEpochMilli() % window.toMillis();
        advance(Duration.ofMillis(window.toMillis() - into + Math.min(100, window.toMillis() / 20)));
    }

    /** Moves to {@code target}, from where time runs on as usual. */
    public void moveTo(Instant target) {
        offset.set(Duration.between(Instant.now(), target));
    }

    public void reset() {
        offset.set(Duration.ZERO);
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.offset(Clock.system(zone), offset.get());
    }
}
