package dev.gatehouse.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The per-node cache in front of the token store, keyed by secret hash. A cached lookup touches neither
 * PostgreSQL nor Redis. Unknown hashes are cached too, so a flood of well-formed garbage reaches the
 * database once per hash and TTL.
 *
 * <p>How long an entry is believed depends on the revocation broadcast: while it is trusted, until the
 * TTL (every change evicts the entry anyway); while it is not, only {@code degradedTtl}, after which the
 * entry is read again. If PostgreSQL cannot answer that read, the entry stands for as long as the token
 * store believes it ({@link WhileUnavailable}): with the database down no revocation can be written either,
 * and cached verifies go on through an outage. (A token's own expiry is still checked at every use.)
 * Once a read has failed, no cached entry is read again for {@link #RETRY_PAUSE}, so cached verifies stay
 * fast instead of each waiting for a connection that will not come.
 */
public final class TokenCache {
    /**
     * A lookup's result, when it was read (System.nanoTime: only ages are compared), and the cache's
     * generation when the read began.
     */
    private record Entry(Optional<TokenRecord> token, long readAtNanos, long generation) {
    }

    static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
    /** The time before which cached entries are served without trying the database again. */
    private volatile long storeRetryAtNanos;
    /** System.nanoTime, or a test's hand-moved clock. */
    private final java.util.function.LongSupplier nanos;

    /** Keyed by the raw hash bytes (ByteBuffer compares by content): no per-lookup string is built. */
    private final Cache<ByteBuffer, Entry> entries;
    private final Function<TokenHash, Optional<TokenRecord>> loader;
    /**
     * Bumped by {@link #clear()}. A read that began before a clear may land in the cache after it (the
     * clear cannot see a load still in flight); its older generation marks it stale all the same.
     */
    private final AtomicLong generation = new AtomicLong();
    private final WhileUnavailable whileUnavailable;

    /** Whether an entry read at {@code readAtNanos} may still be believed at {@code nowNanos} while PostgreSQL cannot answer. */
    @FunctionalInterface
    public interface WhileUnavailable {
        boolean believe(long readAtNanos, long nowNanos);
    }

    /**
     * Entries are kept for {@code keepFor}, the longest {@code whileUnavailable} may believe one, for the outage case; in
     * normal operation {@link #find} reads them again once they are older than the age it is given.
     */
    public TokenCache(Duration keepFor, WhileUnavailable whileUnavailable, long maxEntries,
            Function<TokenHash, Optional<TokenRecord>> loader) {
        this(keepFor, whileUnavailable, maxEntries, loader, System::nanoTime);
    }

    TokenCache(Duration keepFor, WhileUnavailable whileUnavailable, long maxEntries,
            Function<TokenHash, Optional<TokenRecord>> loader, java.util.function.LongSupplier nanos) {
        this.loader = loader;
        this.nanos = nanos;
        this.storeRetryAtNanos = nanos.getAsLong();
        this.whileUnavailable = whileUnavailable;
        this.entries = Caffeine.newBuilder()
                .expireAfterWrite(keepFor)
                .maximumSize(maxEntries)
                .ticker(nanos::getAsLong)
                .build();
    }

    /**
     * The token whose secret hashes to {@code hash}, confirmed with a constant-time comparison. An entry
     * older than {@code maxAge} is read again first.
     */
    public Optional<TokenRecord> find(TokenHash hash, Duration maxAge) {
        byte[] bytes = hash.raw();
        ByteBuffer key = ByteBuffer.wrap(bytes);
        Entry entry = entries.get(key, this::load);
        if (entry.generation() != generation.get() || nanos.getAsLong() - entry.readAtNanos() > maxAge.toNanos()) {
            entry = reload(key, entry, nanos.getAsLong());
        }
        return entry.token().filter(token -> token.hashEquals(bytes));
    }

    /**
     * Reads the entry again under the cache's lock for that key, so an eviction that happens meanwhile (a
     * local revocation) is not overwritten by what was read before it.
     */
    private Entry reload(ByteBuffer key, Entry stale, long now) {
        boolean recentFailure = now - storeRetryAtNanos < 0;
        if (recentFailure && servable(stale, now)) {
            return stale; // the database failed a read a moment ago
        }
        try {
            return entries.asMap().compute(key, (k, current) -> current == null || current == stale ? load(k) : current);
        } catch (TokenStoreUnavailable unavailable) {
            if (!servable(stale, now)) {
                throw unavailable;
            }
            storeRetryAtNanos = now + RETRY_PAUSE.toNanos();
            return stale;
        }
    }

    private boolean servable(Entry stale, long now) {
        return stale.generation() == generation.get() && whileUnavailable.believe(stale.readAtNanos(), now);
    }

    private Entry load(ByteBuffer key) {
        long startedIn = generation.get();
        return new Entry(loader.apply(TokenHash.wrap(key.array())), nanos.getAsLong(), startedIn);
    }

    public void put(TokenRecord token) {
        entries.put(ByteBuffer.wrap(token.secretHash()), new Entry(Optional.of(token), nanos.getAsLong(), generation.get()));
    }

    public void evict(TokenHash hash) {
        entries.invalidate(ByteBuffer.wrap(hash.raw()));
    }

    /** Forgets everything: after a gap in the broadcast, any entry may be stale. */
    public void clear() {
        generation.incrementAndGet();
        entries.invalidateAll();
    }
}
