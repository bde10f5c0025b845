package dev.gatehouse.state;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyCommands;
import io.quarkus.redis.datasource.string.SetArgs;
import io.quarkus.redis.datasource.value.ValueCommands;
import java.time.Duration;

/** {@link HotState} shared by every node through Redis. Keys live under the {@code gatehouse:} namespace. */
public final class RedisHotState implements HotState {
    private static final String NAMESPACE = "gatehouse:";

    private final ValueCommands<String, Long> counters;
    private final KeyCommands<String> keys;
    private final RedisCommandCounter commands;

    RedisHotState(RedisDataSource redis, RedisCommandCounter commands) {
        this.counters = redis.value(Long.class);
        this.keys = redis.key();
        this.commands = commands;
    }

    @Override
    public WindowCount count(String key, Duration window) {
        String name = NAMESPACE + key;
        // Open the window with its expiry first: INCR keeps the TTL, and a crash between the two
        // commands can never leave a counter that lives forever.
        commands.sent("set");
        counters.set(name, 0L, new SetArgs().nx().px(window));
        commands.sent("incr");
        long count = counters.incr(name);
        return new WindowCount(count, remaining(name));
    }

    @Override
    public WindowCount peek(String key) {
        String name = NAMESPACE + key;
        commands.sent("get");
        Long count = counters.get(name);
        return count == null ? WindowCount.EMPTY : new WindowCount(count, remaining(name));
    }

    private Duration remaining(String name) {
        commands.sent("pttl");
        long millis = keys.pttl(name);
        return Duration.ofMillis(Math.max(0, millis));
    }

    @Override
    public void mark(String key, Duration ttl) {
        // PSETEX, not SET PX: a command of its own, so Redis's command stats tell this background mark apart.
        commands.sent("psetex");
        counters.psetex(NAMESPACE + key, Math.max(1, ttl.toMillis()), 1L);
    }

    @Override
    public boolean marked(String key) {
        commands.sent("exists");
        return keys.exists(NAMESPACE + key);
    }

    @Override
    public void clear(String key) {
        commands.sent("del");
        keys.del(NAMESPACE + key);
    }

    @Override
    public String mode() {
        return "redis";
    }
}
