package dev.gatehouse.state;

import java.util.List;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * One Lua script run with EVALSHA: loaded on first use, and loaded again when a restarted Redis has
 * forgotten it (NOSCRIPT), so a call costs one round trip in the steady state.
 */
final class LuaScript {
    private final RedisLink redis;
    private final String source;
    private volatile String sha;

    LuaScript(RedisLink redis, String source) {
        this.redis = redis;
        this.source = source;
    }

    /** Runs the script with {@code keys} as KEYS and {@code arguments} as ARGV; Lua tables come back as lists. */
    List<?> run(List<String> keys, List<String> arguments) {
        if (sha == null) {
            sha = redis.call("script load", connection -> connection.scriptLoad(source));
        }
        try {
            return (List<?>) redis.evalsha(sha, keys, arguments);
        } catch (JedisNoScriptException e) {
            sha = redis.call("script load", connection -> connection.scriptLoad(source));
            return (List<?>) redis.evalsha(sha, keys, arguments);
        }
    }

    /** A number in a script's reply (an integer, or a string from a hash). */
    static long number(List<?> reply, int index) {
        Object value = reply.get(index);
        return value instanceof Long number ? number : Long.parseLong(value instanceof byte[] bytes
                ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(value));
    }

    /** A string in a script's reply. */
    static String text(List<?> reply, int index) {
        Object value = reply.get(index);
        return value instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(value);
    }
}
