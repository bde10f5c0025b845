package dev.gatehouse.state;

import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * One Lua script run with EVALSHA: loaded on first use, and loaded again when a restarted Redis has
 * forgotten it (NOSCRIPT), so a call costs one round trip in the steady state.
 */
final class LuaScript {
    private final RedisDataSource redis;
    private final String source;
    private volatile String sha;

    LuaScript(RedisDataSource redis, String source) {
        this.redis = redis;
        this.source = source;
    }

    /** Runs the script with {@code keys} as KEYS and {@code arguments} as ARGV. */
    Response run(List<String> keys, List<String> arguments) {
        List<String> command = new ArrayList<>(2 + keys.size() + arguments.size());
        command.add(null); // the sha, filled in below
        command.add(Integer.toString(keys.size()));
        command.addAll(keys);
        command.addAll(arguments);
        if (sha == null) {
            sha = load();
        }
        command.set(0, sha);
        try {
            return redis.execute("EVALSHA", command.toArray(String[]::new));
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).contains("NOSCRIPT")) {
                throw e;
            }
            sha = load();
            command.set(0, sha);
            return redis.execute("EVALSHA", command.toArray(String[]::new));
        }
    }

    private String load() {
        return redis.execute("SCRIPT", "LOAD", source).toString();
    }
}
