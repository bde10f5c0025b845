package dev.gatehouse.state;

import io.quarkus.arc.InjectableInstance;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/** Chooses Redis when {@code quarkus.redis.hosts} is set, in-process state otherwise. */
@ApplicationScoped
public class HotStateProducer {
    private static final Logger LOG = Logger.getLogger(HotStateProducer.class);

    private final Config config;
    private RedisLink link;
    private RedisCommandCounter redisCommands;

    HotStateProducer(Config config) {
        this.config = config;
    }

    /**
     * The metering scripts' connections to the Redis of {@code quarkus.redis.hosts} (its first host), made
     * once, with the client's timeout and pool size.
     */
    private synchronized RedisLink link(MeterRegistry meters) {
        if (link == null) {
            String hosts = config.getValue("quarkus.redis.hosts", String.class);
            java.time.Duration timeout = config.getOptionalValue("quarkus.redis.timeout", java.time.Duration.class)
                    .orElse(java.time.Duration.ofSeconds(2));
            int connections = config.getOptionalValue("quarkus.redis.max-pool-size", Integer.class).orElse(32);
            link = new RedisLink(java.net.URI.create(hosts.split(",")[0].strip()), timeout, connections, redisCommands(meters));
        }
        return link;
    }

    /** {@code gatehouse.redis.commands}, one set of counters for both ways to Redis. */
    private synchronized RedisCommandCounter redisCommands(MeterRegistry meters) {
        if (redisCommands == null) {
            redisCommands = new RedisCommandCounter(meters);
        }
        return redisCommands;
    }

    @PreDestroy
    synchronized void close() {
        if (link != null) {
            link.close();
        }
    }

    @Produces
    @ApplicationScoped
    HotState hotState(InjectableInstance<RedisDataSource> redis, MeterRegistry meters) {
        if (active(redis)) {
            LOG.info("Hot state: Redis (shared by every node)");
            return new FailoverHotState(new RedisHotState(redis.get(), redisCommands(meters)), new InProcessHotState(), meters);
        }
        LOG.info("Hot state: in-process (single node; set quarkus.redis.hosts to share it)");
        return new InProcessHotState();
    }

    /** Rate-limit windows: in Redis for every node (with this node's own counts while Redis is down), or in process. */
    @Produces
    @ApplicationScoped
    WindowCounters windowCounters(InjectableInstance<RedisDataSource> redis, MeterRegistry meters) {
        return counters(redis, meters).windows();
    }

    /** Credit balances: in Redis for every node (with this node's own while Redis is down), or in process. */
    @Produces
    @ApplicationScoped
    CreditCounters creditCounters(InjectableInstance<RedisDataSource> redis, MeterRegistry meters) {
        return counters(redis, meters).credits();
    }

    /** Rate limits and credits in one step: one Redis script while Redis answers for both, else each in turn. */
    @Produces
    @ApplicationScoped
    Meter meter(InjectableInstance<RedisDataSource> redis, MeterRegistry meters) {
        return counters(redis, meters).meter();
    }

    /** The counters, made once: the meter counts and charges on the same windows and balances as the two beans. */
    private record Counters(WindowCounters windows, CreditCounters credits, Meter meter) {
    }

    private Counters counters;

    private synchronized Counters counters(InjectableInstance<RedisDataSource> redis, MeterRegistry meters) {
        if (counters == null) {
            if (active(redis)) {
                var windows = new FailoverWindowCounters(new RedisWindowCounters(link(meters)), new InProcessWindowCounters(), meters);
                var credits = new FailoverCreditCounters(new RedisCreditCounters(link(meters)), new InProcessCreditCounters(), meters);
                counters = new Counters(windows, credits, new FailoverMeter(new RedisMeter(link(meters), windows.shared()), windows, credits));
            } else {
                var windows = new InProcessWindowCounters();
                var credits = new InProcessCreditCounters();
                counters = new Counters(windows, credits, Meter.inTurn(windows, credits));
            }
        }
        return counters;
    }

    /**
     * Injecting RedisDataSource directly fails start-up when no Redis is configured: the client
     * deactivates itself, so ask whether it is active first.
     */
    private static boolean active(InjectableInstance<RedisDataSource> redis) {
        return redis.getHandle().getBean() != null && redis.getHandle().getBean().isActive();
    }
}
