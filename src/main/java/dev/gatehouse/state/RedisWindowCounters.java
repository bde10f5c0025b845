package dev.gatehouse.state;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link WindowCounters} shared by every node: one Lua script, so checking every window and counting in
 * all of them is one atomic round trip. Counter keys carry the window's index and expire when it ends.
 */
public final class RedisWindowCounters implements WindowCounters {
    /**
     * KEYS: one counter per limit. ARGV: the limits, then each window's remaining lifetime in ms.
     * Returns {allowed (1 or 0), count of each window after the request}.
     */
    static final String SCRIPT = """
            local n = #KEYS
            local counts = {}
            local allowed = 1
            for i = 1, n do
              counts[i] = tonumber(redis.call('GET', KEYS[i]) or '0')
              if counts[i] >= tonumber(ARGV[i]) then allowed = 0 end
            end
            if allowed == 1 then
              for i = 1, n do
                counts[i] = redis.call('INCR', KEYS[i])
                if counts[i] == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[n + i]) end
              end
            end
            local out = {allowed}
            for i = 1, n do out[i + 1] = counts[i] end
            return out
            """;
    private static final String NAMESPACE = "gatehouse:rl:";

    private final LuaScript script;

    public RedisWindowCounters(RedisLink redis) {
        this.script = new LuaScript(redis, SCRIPT);
    }

    @Override
    public Decision acquire(String subject, List<Limit> limits, long nowMillis) {
        int n = limits.size();
        List<String> keys = new ArrayList<>(n);
        List<String> arguments = new ArrayList<>(2 * n);
        for (Limit limit : limits) {
            // The subject in braces: every key of one subject lives in one Redis Cluster slot.
            keys.add(NAMESPACE + "{" + subject + "}:" + limit.length().toSeconds() + ":" + limit.windowIndex(nowMillis));
        }
        for (Limit limit : limits) {
            arguments.add(Long.toString(limit.limit()));
        }
        for (Limit limit : limits) {
            // A second beyond the window's end, so clocks a little apart never count in a window already gone.
            arguments.add(Long.toString(limit.resetAtMillis(nowMillis) - nowMillis + 1000));
        }
        List<?> reply = script.run(keys, arguments);
        boolean allowed = LuaScript.number(reply, 0) == 1;
        List<Standing> standings = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Limit limit = limits.get(i);
            standings.add(new Standing(limit, LuaScript.number(reply, i + 1), limit.resetAtMillis(nowMillis)));
        }
        return new Decision(allowed, standings);
    }
}
