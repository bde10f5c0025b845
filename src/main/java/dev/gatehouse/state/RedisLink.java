package dev.gatehouse.state;

import java.net.URI;
import java.time.Duration;
import java.util.function.Function;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;

/**
 * The connections the metering scripts use: blocking, on the request's own thread. A verification that
 * counts a rate limit and charges credits makes two round trips; through the reactive client each one
 * hands the request to the event loop and back, which cost more than the rest of the verification
 * (docs/benchmarks.md), so these few calls use a plain pooled client instead. Same Redis
 * ({@code quarkus.redis.hosts}), same timeout ({@code quarkus.redis.timeout}).
 */
public final class RedisLink implements AutoCloseable {
    private final JedisPool pool;

    public RedisLink(URI redis, Duration timeout, int connections) {
        JedisPoolConfig config = new JedisPoolConfig();
        config.setMaxTotal(connections);
        config.setMaxIdle(connections);
        config.setMinIdle(0);
        config.setBlockWhenExhausted(true);
        // A request waits this long for a connection at most, then counts as "Redis did not answer".
        config.setMaxWait(timeout);
        config.setJmxEnabled(false);
        this.pool = new JedisPool(config, redis, (int) timeout.toMillis());
    }

    /** Runs {@code call} on a pooled connection. Any failure is a RuntimeException (the callers fail over). */
    public <T> T call(Function<Jedis, T> call) {
        try (Jedis connection = pool.getResource()) {
            return call.apply(connection);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
