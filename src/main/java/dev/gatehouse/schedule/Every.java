package dev.gatehouse.schedule;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A background task run every interval (after a first wait of one interval) on a daemon thread of its
 * own, until closed. The task handles its own failures: one that throws is not run again.
 */
public final class Every implements AutoCloseable {
    private final ScheduledExecutorService executor;

    private Every(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    public static Every start(String threadName, Duration interval, Runnable task) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name(threadName).daemon().factory());
        long every = interval.toMillis();
        executor.scheduleWithFixedDelay(task, every, every, TimeUnit.MILLISECONDS);
        return new Every(executor);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
