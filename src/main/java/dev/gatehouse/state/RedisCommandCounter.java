package dev.gatehouse.state;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * {@code gatehouse.redis.commands{command}}: the commands this node sent to Redis, by name, counted where they
 * are sent ({@link RedisLink}, {@link RedisHotState}). The commands a Lua script runs inside Redis are not
 * round trips of ours and are not counted here (Redis's {@code INFO commandstats} counts them too).
 */
final class RedisCommandCounter {
    private final MeterRegistry meters;
    private final ConcurrentMap<String, Counter> byCommand = new ConcurrentHashMap<>();

    RedisCommandCounter(MeterRegistry meters) {
        this.meters = meters;
        // Shown from the start, at 0: the one command a metered request sends.
        counter("evalsha");
    }

    void sent(String command) {
        counter(command).increment();
    }

    void sent(String command, int times) {
        counter(command).increment(times);
    }

    private Counter counter(String command) {
        return byCommand.computeIfAbsent(command, name -> Counter.builder("gatehouse.redis.commands")
                .description("Commands this node sent to Redis (a script's own commands not counted)")
                .tag("command", name)
                .register(meters));
    }
}
