package dev.gatehouse.state;

import dev.gatehouse.state.WindowCounters.Decision;
import dev.gatehouse.state.WindowCounters.Limit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link Meter} in one Lua script: {@link RedisWindowCounters}'s {@code acquire}, then, if it let the
 * request through, {@link RedisCreditCounters}'s {@code charge}, on the same keys those two use alone.
 */
final class RedisMeter implements Meter {
    /**
     * KEYS: one counter per limit, then the balance and the due set. ARGV: the number of limits, the
     * limits, each window's lifetime, then the cost and the balance's name. Returns acquire's reply
     * followed by charge's when it ran.
     */
    static final String SCRIPT = RedisWindowCounters.ACQUIRE + RedisCreditCounters.CHARGE_FUNCTION + """
            local n = tonumber(ARGV[1])
            local decision = acquire({unpack(KEYS, 1, n)}, {unpack(ARGV, 2, n + 1)}, {unpack(ARGV, n + 2, 2 * n + 1)})
            if decision[1] == 0 then return decision end
            local charged = charge(KEYS[n + 1], KEYS[n + 2], ARGV[2 * n + 2], ARGV[2 * n + 3], nil)
            for i = 1, 3 do decision[n + 1 + i] = charged[i] end
            return decision
            """;

    private final LuaScript script;
    private final WindowCounters windows;

    RedisMeter(RedisLink redis, WindowCounters windows) {
        this.script = new LuaScript(redis, SCRIPT);
        this.windows = windows;
    }

    @Override
    public Metered meter(String subject, List<Limit> limits, long nowMillis, Optional<ChargeAsk> charge) {
        if (charge.isEmpty()) {
            return new Metered(windows.acquire(subject, limits, nowMillis), Optional.empty());
        }
        List<String> keys = new ArrayList<>(RedisWindowCounters.keys(subject, limits, nowMillis));
        keys.add(RedisCreditCounters.key(charge.get().balance()));
        keys.add(RedisCreditCounters.DUE_SET);
        List<String> arguments = new ArrayList<>(2 * limits.size() + 3);
        arguments.add(Integer.toString(limits.size()));
        arguments.addAll(RedisWindowCounters.arguments(limits, nowMillis));
        arguments.add(Long.toString(charge.get().cost()));
        arguments.add(charge.get().balance());
        List<?> reply = script.run(keys, arguments);
        Decision decision = RedisWindowCounters.decision(reply, 0, limits, nowMillis);
        int charged = limits.size() + 1;
        return new Metered(decision, reply.size() > charged
                ? Optional.of(RedisCreditCounters.answer(reply.subList(charged, reply.size())))
                : Optional.empty());
    }
}
