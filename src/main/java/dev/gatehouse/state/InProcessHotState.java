package dev.gatehouse.state;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@link HotState} for a single node: nothing is shared because there is no one to share with. */
public final class InProcessHotState implements HotState {
    /** Past this many windows, closed ones are swept on the next write. */
    private static final int SWEEP_THRESHOLD = 10_000;

    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private record Window(long count, long closesAtNanos) {
        Duration remaining(long now) {
            return Duration.ofNanos(Math.max(0, closesAtNanos - now));
        }
    }

    @Override
    public WindowCount count(String key, Duration window) {
        long now = System.nanoTime();
        if (windows.size() > SWEEP_THRESHOLD) {
            windows.values().removeIf(w -> w.closesAtNanos <= now);
        }
        Window updated = windows.compute(key, (k, current) -> current == null || current.closesAtNanos <= now
                ? new Window(1, now + window.toNanos())
                : new Window(current.count + 1, current.closesAtNanos));
        return new WindowCount(updated.count, updated.remaining(now));
    }

    @Override
    public WindowCount peek(String key) {
        long now = System.nanoTime();
        Window current = windows.get(key);
        return current == null || current.closesAtNanos <= now
                ? WindowCount.EMPTY
                : new WindowCount(current.count, current.remaining(now));
    }

    @Override
    public void mark(String key, Duration ttl) {
        windows.put(key, new Window(1, System.nanoTime() + ttl.toNanos()));
    }

    @Override
    public boolean marked(String key) {
        return peek(key).count() > 0;
    }

    @Override
    public void clear(String key) {
        windows.remove(key);
    }

    @Override
    public String mode() {
        return "in-process";
    }
}
