package dev.gatehouse.token;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
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
    private final LoadingCache<String, Optional<TokenRecord>> entries;

    public TokenCache(Duration ttl, long maxEntries, Function<String, Optional<TokenRecord>> loadByHashHex) {
        this.entries = Caffeine.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(maxEntries)
                .build(loadByHashHex::apply);
    }

    /** The token whose secret hashes to {@code hash}, confirmed with a constant-time comparison. */
    public Optional<TokenRecord> find(TokenHash hash) {
        byte[] bytes = hash.bytes();
        return entries.get(hash.hex()).filter(token -> token.hashEquals(bytes));
    }

    public void put(TokenRecord token) {
        entries.put(TokenHash.ofHexBytes(token.secretHash()), Optional.of(token));
    }

    public void evict(String hashHex) {
        entries.invalidate(hashHex);
    }
}
