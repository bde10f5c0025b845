package dev.gatehouse.state;

import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link CreditCounters} shared by every node. Each balance is a hash ({@code granted}, {@code spent},
 * {@code pending}, {@code version}); a charge is one Lua script, so checking and spending are one atomic
 * round trip and two nodes can never spend the same credit. Balances with something pending are named in
 * one set, so whichever node reconciles next writes them, even if the node that charged is gone.
 */
public final class RedisCreditCounters implements CreditCounters {
    private static final String NAMESPACE = "gatehouse:credits:";
    private static final String PENDING_SET = NAMESPACE + "pending";

    /**
     * KEYS: the balance, the set of balances with something pending. ARGV: cost, the balance's name, and
     * when loading: granted, spent, version, lifetime in ms. Returns {1 charged | 0 refused | -1 not held, left}.
     */
    static final String CHARGE = """
            if redis.call('EXISTS', KEYS[1]) == 0 then
              if not ARGV[3] then return {-1, 0} end
              redis.call('HSET', KEYS[1], 'granted', ARGV[3], 'spent', ARGV[4], 'pending', 0, 'version', ARGV[5])
              redis.call('PEXPIRE', KEYS[1], ARGV[6])
            end
            local held = redis.call('HMGET', KEYS[1], 'granted', 'spent')
            local left = tonumber(held[1]) - tonumber(held[2])
            if left < 0 then left = 0 end
            local cost = tonumber(ARGV[1])
            if left < cost then return {0, left} end
            if cost > 0 then
              redis.call('HINCRBY', KEYS[1], 'spent', cost)
              redis.call('HINCRBY', KEYS[1], 'pending', cost)
              redis.call('SADD', KEYS[2], ARGV[2])
            end
            return {1, left - cost}
            """;

    /** KEYS: the balance. Returns what was pending, now taken. */
    static final String TAKE = """
            local pending = tonumber(redis.call('HGET', KEYS[1], 'pending') or '0')
            if pending > 0 then redis.call('HSET', KEYS[1], 'pending', 0) end
            return pending
            """;

    /** KEYS: the balance. ARGV: granted, version. A newer version's grant replaces the held one. */
    static final String SETTLE = """
            local version = redis.call('HGET', KEYS[1], 'version')
            if version and tonumber(version) < tonumber(ARGV[2]) then
              redis.call('HSET', KEYS[1], 'granted', ARGV[1], 'version', ARGV[2])
            end
            return 0
            """;

    private final RedisDataSource redis;
    private final LuaScript charge;
    private final LuaScript take;
    private final LuaScript settle;

    public RedisCreditCounters(RedisDataSource redis) {
        this.redis = redis;
        this.charge = new LuaScript(redis, CHARGE);
        this.take = new LuaScript(redis, TAKE);
        this.settle = new LuaScript(redis, SETTLE);
    }

    @Override
    public Charge charge(String balance, long cost) {
        return answer(charge.run(List.of(key(balance), PENDING_SET), List.of(Long.toString(cost), balance)));
    }

    @Override
    public Charge charge(String balance, long cost, Ledger loaded, long keepMillis) {
        return answer(charge.run(List.of(key(balance), PENDING_SET), List.of(Long.toString(cost), balance,
                Long.toString(loaded.granted()), Long.toString(loaded.spent()), Long.toString(loaded.version()),
                Long.toString(Math.max(1000, keepMillis)))));
    }

    private static Charge answer(Response reply) {
        long outcome = reply.get(0).toLong();
        Outcome result = outcome == 1 ? Outcome.CHARGED : outcome == 0 ? Outcome.REFUSED : Outcome.NOT_HELD;
        return result == Outcome.NOT_HELD ? Charge.NOT_HELD : new Charge(result, reply.get(1).toLong());
    }

    @Override
    public Map<String, Long> takePending(int max) {
        Map<String, Long> taken = new HashMap<>();
        Response named = redis.execute("SPOP", PENDING_SET, Integer.toString(max));
        if (named == null) {
            return taken;
        }
        for (Response member : named) {
            String balance = member.toString();
            long pending = take.run(List.of(key(balance)), List.of()).toLong();
            if (pending > 0) {
                taken.put(balance, pending);
            }
        }
        return taken;
    }

    @Override
    public void settle(String balance, Ledger recorded) {
        settle.run(List.of(key(balance)), List.of(Long.toString(recorded.granted()), Long.toString(recorded.version())));
    }

    private static String key(String balance) {
        return NAMESPACE + "{" + balance + "}";
    }
}
