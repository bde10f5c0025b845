package dev.gatehouse.state;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyCommands;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.redis.datasource.string.SetArgs;
import io.quarkus.redis.datasource.value.ValueCommands;
import java.time.Duration;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/** {@link HotState} shared by every node through Redis. Keys live under the {@code gatehouse:} namespace. */
public final class RedisHotState implements HotState {
    private static final Logger LOG = Logger.getLogger(RedisHotState.class);
    private static final String NAMESPACE = "gatehouse:";

    private final ValueCommands<String, Long> counters;
    private final KeyCommands<String> keys;
    private final PubSubCommands<String> pubsub;
    private final ReactivePubSubCommands<String> subscriptions;

    public RedisHotState(RedisDataSource redis) {
        this.counters = redis.value(Long.class);
        this.keys = redis.key();
        this.pubsub = redis.pubsub(String.class);
        this.subscriptions = redis.getReactive().pubsub(String.class);
    }

    @Override
    public WindowCount count(String key, Duration window) {
        String name = NAMESPACE + key;
        // Open the window with its expiry first: INCR keeps the TTL, and a crash between the two
        // commands can never leave a counter that lives forever.
        counters.set(name, 0L, new SetArgs().nx().px(window));
        long count = counters.incr(name);
        return new WindowCount(count, remaining(name));
    }

    @Override
    public WindowCount peek(String key) {
        String name = NAMESPACE + key;
        Long count = counters.get(name);
        return count == null ? WindowCount.EMPTY : new WindowCount(count, remaining(name));
    }

    private Duration remaining(String name) {
        long millis = keys.pttl(name);
        return Duration.ofMillis(Math.max(0, millis));
    }

    @Override
    public void clear(String key) {
        keys.del(NAMESPACE + key);
    }

    @Override
    public void publish(String channel, String message) {
        try {
            pubsub.publish(NAMESPACE + channel, message);
        } catch (RuntimeException e) {
            // What was published already happened in PostgreSQL; other nodes catch up within the cache TTL.
            LOG.warnf("Could not broadcast on Redis channel %s: %s", channel, e.getMessage());
        }
    }

    @Override
    public void subscribe(String channel, Consumer<String> listener) {
        // Subscribed in the background: start-up never waits on Redis, and until the subscription is up
        // the cache TTL still bounds how stale a node can be.
        subscriptions.subscribe(NAMESPACE + channel, listener).subscribe().with(
                subscriber -> LOG.debugf("Listening on Redis channel %s", channel),
                failure -> LOG.errorf(failure, "Could not listen on Redis channel %s", channel));
    }

    @Override
    public String mode() {
        return "redis";
    }
}
