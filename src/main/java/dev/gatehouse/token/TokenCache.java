package dev.gatehouse.token;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * The per-node cache in front of the token store, keyed by secret hash. A cached lookup touches neither
 * PostgreSQL nor Redis. Unknown hashes are cached too, so a flood of well-formed garbage reaches the
 * database once per hash and TTL. Entries live at most {@code ttl}: that bounds how long another node's
 * revocation can go unseen when no broadcast reaches this one.
 */
public final class TokenCache {
    /** Keyed by the raw hash bytes (ByteBuffer compares by content): no per-lookup string is built. */
    private final LoadingCache<ByteBuffer, Optional<TokenRecord>> entries;

    public TokenCache(Duration ttl, long maxEntries, Function<TokenHash, Optional<TokenRecord>> loader) {
        this.entries = Caffeine.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(maxEntries)
                .build(key -> loader.apply(TokenHash.wrap(key.array())));
    }

    /** The token whose secret hashes to {@code hash}, confirmed with a constant-time comparison. */
    public Optional<TokenRecord> find(TokenHash hash) {
        byte[] bytes = hash.raw();
        return entries.get(ByteBuffer.wrap(bytes)).filter(token -> token.hashEquals(bytes));
    }

    /** The cached entry, without loading on a miss. */
    public Optional<TokenRecord> peek(TokenHash hash) {
        byte[] bytes = hash.raw();
        Optional<TokenRecord> cached = entries.getIfPresent(ByteBuffer.wrap(bytes));
        return cached == null ? Optional.empty() : cached.filter(token -> token.hashEquals(bytes));
    }

    public void put(TokenRecord token) {
        entries.put(ByteBuffer.wrap(token.secretHash()), Optional.of(token));
    }

    public void evict(TokenHash hash) {
        entries.invalidate(ByteBuffer.wrap(hash.raw()));
    }
}
