package dev.gatehouse.testing;

import io.quarkus.redis.datasource.RedisDataSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What Redis itself counts it was asked to do ({@code INFO commandstats}): calls per command since it started. */
public final class RedisCommands {
    /**
     * Commands that Gatehouse's scripts run inside Redis (the rate limit's GET, INCR, PEXPIRE; the credit
     * charge's EXISTS, HSET, HMGET, HINCRBY, SADD, PEXPIRE; taking and settling: HGET, HSET): counted by Redis, but no round trip of ours.
     * And INFO, which reads these stats; and PSETEX, the revocation listener's "PostgreSQL reached" mark,
     * sent on its own clock (every heartbeat) whatever the requests.
     */
    private static final List<String> INSIDE_THE_SCRIPT_OR_READING_THESE_STATS = List.of("get", "incr", "pexpire",
            "exists", "hset", "hget", "hmget", "hincrby", "sadd", "info", "psetex");

    private RedisCommands() {
    }

    public static Map<String, Long> calls(RedisDataSource redis) {
        Map<String, Long> calls = new HashMap<>();
        redis.execute("INFO", "commandstats").toString().lines().filter(line -> line.startsWith("cmdstat_")).forEach(line -> {
            String command = line.substring("cmdstat_".length(), line.indexOf(':'));
            int from = line.indexOf("calls=") + "calls=".length();
            calls.put(command, Long.parseLong(line.substring(from, line.indexOf(',', from))));
        });
        return calls;
    }

    /** The commands a client sent between two readings, apart from script-internal ones and INFO: name → calls. */
    public static Map<String, Long> sentBetween(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> sent = new HashMap<>();
        after.forEach((command, calls) -> {
            long delta = calls - before.getOrDefault(command, 0L);
            if (delta > 0 && !INSIDE_THE_SCRIPT_OR_READING_THESE_STATS.contains(command)) {
                sent.put(command, delta);
            }
        });
        return sent;
    }
}
