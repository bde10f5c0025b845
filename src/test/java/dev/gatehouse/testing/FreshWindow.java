package dev.gatehouse.testing;

import io.quarkus.arc.Arc;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * For test classes whose limits count in windows aligned to the epoch (attempt limits, rate limits): each
 * test starts at the beginning of a fresh window of {@link #window()}, so its counts never straddle two,
 * and the clock is put back afterwards.
 */
public interface FreshWindow {
    Duration window();

    @BeforeEach
    default void startAtAFreshWindow() {
        clock().toStartOfNext(window());
    }

    @AfterEach
    default void putTheClockBack() {
        clock().reset();
    }

    private static MovableClock clock() {
        return Arc.container().instance(MovableClock.class).get();
    }
}
