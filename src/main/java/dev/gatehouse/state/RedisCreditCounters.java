package dev.gatehouse.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link CreditCounters} shared by every node. Each balance is one holding, a hash ({@code epoch},
 * {@code granted}, {@code base}, {@code own}, {@code version}); a charge is one Lua script, so checking
 * and spending are one atomic round trip and two nodes can never spend the same credit. Charged balances
 * are named in one set, so whichever node reconciles next writes them, even if the node that charged is gone.
 *
 * <p>Not for Redis Cluster: a charge touches the balance and that set, which live in different slots.
 */
public final class RedisCreditCounters implements CreditCounters {
    private static final String NAMESPACE = "gatehouse:credits:";
    static final String DUE_SET = NAMESPACE + "due";

    /**
     * {@code charge(balance, due, cost, name, loading)}: the balance's key, the set of balances due to be
     * written, the cost, the balance's name, and when loading: {granted, spent, version, lifetime in ms,
     * epoch} (else nil). Returns {1 charged | 0 refused | -1 not held, left, granted}. Shared with
     * {@link RedisMeter}'s script.
     */
    static final String CHARGE_FUNCTION = """
            local function charge(balance, due, cost, name, loading)
              if redis.call('EXISTS', balance) == 0 then
                if not loading then return {-1, 0, 0} end
                redis.call('HSET', balance, 'epoch', loading[5], 'granted', loading[1], 'base', loading[2], 'own', 0, 'version', loading[3])
                redis.call('PEXPIRE', balance, loading[4])
              end
              local held = redis.call('HMGET', balance, 'granted', 'base', 'own')
              local granted = tonumber(held[1])
              local left = granted - tonumber(held[2]) - tonumber(held[3])
              if left < 0 then left = 0 end
              cost = tonumber(cost)
              if left < cost then return {0, left, granted} end
              if cost > 0 then
                redis.call('HINCRBY', balance, 'own', cost)
                redis.call('SADD', due, name)
              end
              return {1, left - cost, granted}
            end
            """;

    /** KEYS: the balance, the due set. ARGV: cost, the balance's name, and when loading: granted, spent, version, lifetime, epoch. */
    static final String CHARGE = CHARGE_FUNCTION + """
            local loading = nil
            if ARGV[3] then loading = {unpack(ARGV, 3, 7)} end
            return charge(KEYS[1], KEYS[2], ARGV[1], ARGV[2], loading)
            """;

    /** KEYS: the balance. Returns {epoch, own}, or nothing if the balance is not held. */
    static final String MARK = """
            local held = redis.call('HMGET', KEYS[1], 'epoch', 'own')
            if not held[1] then return {} end
            return {held[1], held[2]}
            """;

    /**
     * KEYS: the balance. ARGV: epoch, others' spending, granted, version. The holding of that epoch takes
     * what others spent if it grew; a newer version's grant replaces the held one.
     */
    static final String SETTLE = """
            local held = redis.call('HMGET', KEYS[1], 'epoch', 'base', 'version')
            if not held[1] then return 0 end
            if held[1] == ARGV[1] and tonumber(ARGV[2]) > tonumber(held[2]) then
              redis.call('HSET', KEYS[1], 'base', ARGV[2])
            end
            if tonumber(ARGV[4]) > tonumber(held[3]) then
              redis.call('HSET', KEYS[1], 'granted', ARGV[3], 'version', ARGV[4])
            end
            return 1
            """;

    private final RedisLink redis;
    private final LuaScript charge;
    private final LuaScript mark;
    private final LuaScript settle;

    public RedisCreditCounters(RedisLink redis) {
        this.redis = redis;
        this.charge = new LuaScript(redis, CHARGE);
        this.mark = new LuaScript(redis, MARK);
        this.settle = new LuaScript(redis, SETTLE);
    }

    @Override
    public Charge charge(String balance, long cost) {
        return answer(charge.run(List.of(key(balance), DUE_SET), List.of(Long.toString(cost), balance)));
    }

    @Override
    public Charge charge(String balance, long cost, Ledger loaded, long keepMillis) {
        return answer(charge.run(List.of(key(balance), DUE_SET), List.of(Long.toString(cost), balance,
                Long.toString(loaded.granted()), Long.toString(loaded.spent()), Long.toString(loaded.version()),
                Long.toString(Math.max(1000, keepMillis)), java.util.UUID.randomUUID().toString())));
    }

    /** {@code charge}'s reply. */
    static Charge answer(List<?> reply) {
        long outcome = LuaScript.number(reply, 0);
        if (outcome < 0) {
            return Charge.NOT_HELD;
        }
        return new Charge(outcome == 1 ? Outcome.CHARGED : Outcome.REFUSED, LuaScript.number(reply, 1), LuaScript.number(reply, 2));
    }

    @Override
    public List<String> due(int max) {
        return new ArrayList<>(redis.call("spop", connection -> connection.spop(DUE_SET, max)));
    }

    @Override
    public List<Mark> marks(String balance) {
        List<?> reply = mark.run(List.of(key(balance)), List.of());
        return CreditCounters.listOf(reply.size() < 2 ? Optional.empty()
                : Optional.of(new Mark(balance, LuaScript.text(reply, 0), LuaScript.number(reply, 1))));
    }

    @Override
    public void settle(String balance, Settlement settlement) {
        settle.run(List.of(key(balance)), List.of(settlement.epoch() == null ? "" : settlement.epoch(),
                Long.toString(settlement.othersSpent()), Long.toString(settlement.granted()), Long.toString(settlement.version())));
    }

    static String key(String balance) {
        return NAMESPACE + "{" + balance + "}";
    }
}
