package dev.gatehouse.state;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * The state several Gatehouse nodes must share: short-lived counters and broadcast events. Redis holds it
 * when configured ({@link RedisHotState}); a single node keeps it in process ({@link InProcessHotState}).
 * Features use only this interface, so each exists once whatever the deployment.
 */
public interface HotState {

    /**
     * Counts one event in the fixed window named {@code key}. The window opens with its first event and
     * lasts {@code window}.
     */
    WindowCount count(String key, Duration window);

    /** The window named {@code key} as it stands, without counting. */
    WindowCount peek(String key);

    /** Forgets the window named {@code key}. */
    void clear(String key);

    /** Sends {@code message} to every node's listeners on {@code channel}, this node's included. */
    void publish(String channel, String message);

    /** Calls {@code listener} for each message published on {@code channel} from now on. */
    void subscribe(String channel, Consumer<String> listener);

    /** Which implementation runs, for health and logs. */
    String mode();

    /** Events counted so far in a window, and how long until it closes. */
    record WindowCount(long count, Duration remaining) {
        public static final WindowCount EMPTY = new WindowCount(0, Duration.ZERO);
    }
}
