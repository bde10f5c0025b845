package dev.gatehouse.state;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link WindowCounters} shared by every node: one Lua script, so checking every window and counting in
 * all of them is one atomic round trip. Counter keys carry the window's index and expire when it ends.
 */
public final class RedisWindowCounters implements WindowCounters {
    /**
     * {@code acquire(keys, limits, lifetimes)}: one counter per limit, each limit, each window's remaining
     * lifetime in ms. Returns {allowed (1 or 0), count of each window after the event}. Shared with
     * {@link RedisMeter}'s script.
     */
    static final String ACQUIRE = """
            local function acquire(keys, limits, lifetimes)
              local n = #keys
              local counts = {}
              local allowed = 1
              for i = 1, n do
                counts[i] = tonumber(redis.call('GET', keys[i]) or '0')
                if counts[i] >= tonumber(limits[i]) then allowed = 0 end
              end
              if allowed == 1 then
                for i = 1, n do
                  counts[i] = redis.call('INCR', keys[i])
                  if counts[i] == 1 then redis.call('PEXPIRE', keys[i], lifetimes[i]) end
                end
              end
              local out = {allowed}
              for i = 1, n do out[i + 1] = counts[i] end
              return out
            end
            """;

    /** KEYS: one counter per limit. ARGV: the limits, then each window's remaining lifetime in ms. */
    static final String SCRIPT = ACQUIRE + """
            local n = #KEYS
            return acquire(KEYS, {unpack(ARGV, 1, n)}, {unpack(ARGV, n + 1, 2 * n)})
            """;
    private static final String NAMESPACE = "gatehouse:rl:";

    /** KEYS: one counter per limit; each is decremented if it is above 0 (a window that closed meanwhile stays gone). */
    static final String RELEASE = """
            for i = 1, #KEYS do
              if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then redis.call('DECR', KEYS[i]) end
            end
            return {}
            """;

    private final LuaScript script;
    private final LuaScript release;

    public RedisWindowCounters(RedisLink redis) {
        this.script = new LuaScript(redis, SCRIPT);
        this.release = new LuaScript(redis, RELEASE);
    }

    @Override
    public void release(String subject, List<Limit> limits, long nowMillis) {
        release.run(keys(subject, limits, nowMillis), List.of());
    }

    @Override
    public Decision acquire(String subject, List<Limit> limits, long nowMillis) {
        return decision(script.run(keys(subject, limits, nowMillis), arguments(limits, nowMillis)), 0, limits, nowMillis);
    }

    /** The counters of {@code subject}'s current windows. */
    static List<String> keys(String subject, List<Limit> limits, long nowMillis) {
        List<String> keys = new ArrayList<>(limits.size());
        for (Limit limit : limits) {
            // The subject in braces: every key of one subject lives in one Redis Cluster slot.
            keys.add(NAMESPACE + "{" + subject + "}:" + limit.length().toSeconds() + ":" + limit.windowIndex(nowMillis));
        }
        return keys;
    }

    /** The limits, then each window's lifetime. */
    static List<String> arguments(List<Limit> limits, long nowMillis) {
        List<String> arguments = new ArrayList<>(2 * limits.size());
        for (Limit limit : limits) {
            arguments.add(Long.toString(limit.limit()));
        }
        for (Limit limit : limits) {
            // A second beyond the window's end, so clocks a little apart never count in a window already gone.
            arguments.add(Long.toString(limit.resetAtMillis(nowMillis) - nowMillis + 1000));
        }
        return arguments;
    }

    /** {@code acquire}'s reply, from {@code offset} in a script's reply. */
    static Decision decision(List<?> reply, int offset, List<Limit> limits, long nowMillis) {
        boolean allowed = LuaScript.number(reply, offset) == 1;
        List<Standing> standings = new ArrayList<>(limits.size());
        for (int i = 0; i < limits.size(); i++) {
            Limit limit = limits.get(i);
            standings.add(new Standing(limit, LuaScript.number(reply, offset + i + 1), limit.resetAtMillis(nowMillis)));
        }
        return new Decision(allowed, standings);
    }
}
