package dev.gatehouse.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class InProcessHotStateTest {
    private final HotState state = new InProcessHotState();

    @Test
    void countsWithinAWindowAndStartsAfreshWhenItCloses() throws InterruptedException {
        assertEquals(1, state.count("k", Duration.ofMillis(200)).count());
        HotState.WindowCount second = state.count("k", Duration.ofMillis(200));
        assertEquals(2, second.count());
        assertTrue(second.remaining().compareTo(Duration.ofMillis(200)) <= 0);
        assertEquals(2, state.peek("k").count());
        Thread.sleep(250);
        assertEquals(0, state.peek("k").count());
        assertEquals(1, state.count("k", Duration.ofMillis(200)).count());
        state.clear("k");
        assertEquals(0, state.peek("k").count());
    }
}
