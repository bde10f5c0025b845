package dev.gatehouse.state;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The connections the metering scripts use. Every metered request runs one or two scripts; the requests
 * in flight at one moment share round trips: each request's call waits in a queue, and a pipelining
 * thread sends everything waiting in one write and reads the replies in one go (Redis runs each script
 * atomically all the same). A round trip per request, on its own connection, cost about as much as the
 * rest of the request (docs/benchmarks.md): on loopback TCP the system calls and wake-ups, not Redis,
 * are the price, and batching shares them. Rare commands (loading a script, naming due balances) use a
 * plain pooled connection. Same Redis ({@code quarkus.redis.hosts}), same timeout ({@code quarkus.redis.timeout}).
 */
public final class RedisLink implements AutoCloseable {
    /** Calls sent in one write at most. */
    private static final int MOST_PER_BATCH = 256;
    /** Batches in flight at once: one is written while the other's replies come back. */
    private static final int PIPELINES = 2;

    private record Call(String sha, List<String> keys, List<String> arguments, CompletableFuture<Object> reply) {
    }

    private final JedisPool pool;
    private final Duration timeout;
    private final RedisCommandCounter commands;
    /** Bounded: past it, Redis is too far behind, and a call fails at once (the callers fail over). */
    private final BlockingQueue<Call> waiting = new ArrayBlockingQueue<>(8192);
    private final List<Thread> pipelines = new ArrayList<>();
    private volatile boolean open = true;

    RedisLink(URI redis, Duration timeout, int connections, RedisCommandCounter commands) {
        JedisPoolConfig config = new JedisPoolConfig();
        config.setMaxTotal(connections);
        config.setMaxIdle(connections);
        config.setMinIdle(0);
        config.setBlockWhenExhausted(true);
        // A call waits this long for a connection at most, then counts as "Redis did not answer".
        config.setMaxWait(timeout);
        config.setJmxEnabled(false);
        this.pool = new JedisPool(config, redis, (int) timeout.toMillis());
        this.timeout = timeout;
        this.commands = commands;
        for (int i = 0; i < PIPELINES; i++) {
            Thread pipeline = new Thread(this::pipeline, "gatehouse-redis-pipeline-" + i);
            pipeline.setDaemon(true);
            pipeline.start();
            pipelines.add(pipeline);
        }
    }

    /**
     * Runs {@code call}, which sends the one command {@code command}, on a pooled connection of its own. Any
     * failure is a RuntimeException (the callers fail over).
     */
    public <T> T call(String command, Function<Jedis, T> call) {
        try (Jedis connection = pool.getResource()) {
            commands.sent(command);
            return call.apply(connection);
        }
    }

    /**
     * Runs a loaded script in the next batch and waits for its reply, at most the timeout. A Redis error
     * (NOSCRIPT, a script's own) comes back as its Jedis exception; Redis not answering as a
     * {@link JedisConnectionException}.
     */
    public Object evalsha(String sha, List<String> keys, List<String> arguments) {
        Call call = new Call(sha, keys, arguments, new CompletableFuture<>());
        if (!open || !waiting.offer(call)) {
            throw new JedisConnectionException("Redis is too far behind: " + waiting.size() + " calls waiting");
        }
        try {
            return call.reply().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // Not sent yet: it never will be. Sent: Redis may still run it, which a timeout always allows.
            call.reply().cancel(false);
            throw new JedisConnectionException("Redis did not answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new JedisConnectionException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JedisConnectionException(e);
        }
    }

    private void pipeline() {
        List<Call> batch = new ArrayList<>(MOST_PER_BATCH);
        while (open) {
            try {
                Call first = waiting.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                waiting.drainTo(batch, MOST_PER_BATCH - 1);
                send(batch);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                batch.forEach(call -> call.reply().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void send(List<Call> batch) {
        List<Call> live = batch.stream().filter(call -> !call.reply().isDone()).toList();
        if (live.isEmpty()) {
            return;
        }
        try (Jedis connection = pool.getResource()) {
            Pipeline pipeline = connection.pipelined();
            List<Response<Object>> replies = new ArrayList<>(live.size());
            for (Call call : live) {
                replies.add(pipeline.evalsha(call.sha(), call.keys(), call.arguments()));
            }
            commands.sent("evalsha", live.size());
            pipeline.sync();
            for (int i = 0; i < live.size(); i++) {
                try {
                    live.get(i).reply().complete(replies.get(i).get());
                } catch (RuntimeException e) {
                    live.get(i).reply().completeExceptionally(e);
                }
            }
        }
    }

    @Override
    public void close() {
        open = false;
        pipelines.forEach(Thread::interrupt);
        Call left;
        while ((left = waiting.poll()) != null) {
            left.reply().completeExceptionally(new JedisConnectionException("Gatehouse is stopping"));
        }
        pool.close();
    }
}
