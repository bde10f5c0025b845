package dev.gatehouse.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The cache in front of the token store while PostgreSQL is down (README "When a dependency fails": cached
 * reads go on): a cached token is believed for {@code stale-while-unavailable} after its last read, the
 * database is not asked again for a pause after a failure, and an uncached token is not answered from nothing.
 */
class TokenCacheTest {
    private static final Duration TTL = Duration.ofSeconds(5);
    private static final Duration STALE = Duration.ofMinutes(10);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicInteger reads = new AtomicInteger();
    private final TokenHash hash = TokenHash.of("gh_test_secret");
    private final TokenRecord token = new TokenRecord(UUID.randomUUID(), TokenKind.API_KEY, UUID.randomUUID(), null, hash.raw(),
            "gh_", "…cret", "test", List.of("profile:read"), Environment.LIVE, Instant.EPOCH, null, null, null, 0, null, null,
            null, null, null, null);
    /** What the token store answers: long in an outage, the TTL when only this node is cut off. */
    private final java.util.concurrent.atomic.AtomicReference<Duration> staleLimit = new java.util.concurrent.atomic.AtomicReference<>(STALE);
    private final TokenCache cache = new TokenCache(STALE, (readAt, at) -> at - readAt <= staleLimit.get().toNanos(), 100, requested -> {
        reads.incrementAndGet();
        if (down.get()) {
            throw new TokenStoreUnavailable(new java.sql.SQLException("connection refused", "08001"));
        }
        return java.util.Arrays.equals(requested.raw(), hash.raw()) ? Optional.of(token) : Optional.empty();
    }, now::get);

    private void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }

    @Test
    void aCachedTokenIsBelievedThroughAnOutageUpToItsLimit() {
        assertEquals(Optional.of(token), cache.find(hash, TTL));
        down.set(true);
        advance(TTL.plusSeconds(1));
        assertEquals(Optional.of(token), cache.find(hash, TTL), "past its TTL, the failed re-read leaves the cached copy standing");
        advance(STALE);
        assertThrows(TokenStoreUnavailable.class, () -> cache.find(hash, TTL), "past stale-while-unavailable it is not believed");
    }

    @Test
    void aNodeCutOffAloneBelievesItsCacheOnlyForTheTtl() {
        cache.find(hash, TTL);
        down.set(true);
        staleLimit.set(TTL);
        advance(TTL.minusSeconds(1));
        assertEquals(Optional.of(token), cache.find(hash, Duration.ofMillis(250)), "within the TTL, as a degraded node would");
        advance(Duration.ofSeconds(2));
        assertThrows(TokenStoreUnavailable.class, () -> cache.find(hash, TTL),
                "past the TTL: revocations may be going on at nodes that still reach PostgreSQL");
    }

    @Test
    void afterAFailureTheDatabaseIsLeftAloneForAPause() {
        cache.find(hash, TTL);
        down.set(true);
        advance(TTL.plusSeconds(1));
        int before = reads.get();
        for (int i = 0; i < 100; i++) {
            cache.find(hash, TTL);
        }
        assertEquals(before + 1, reads.get(), "one failed read, then the cached copy without asking again");
        advance(TokenCache.RETRY_PAUSE.plusMillis(1));
        down.set(false);
        cache.find(hash, TTL);
        assertEquals(before + 2, reads.get(), "after the pause the database is asked again");
    }

    @Test
    void anUncachedTokenIsNotAnsweredWhileTheDatabaseIsDown() {
        down.set(true);
        assertThrows(TokenStoreUnavailable.class, () -> cache.find(TokenHash.of("never seen"), TTL));
    }

    @Test
    void aTokenUnderItsTtlIsNotReadAgain() {
        cache.find(hash, TTL);
        advance(TTL.minusSeconds(1));
        cache.find(hash, TTL);
        assertEquals(1, reads.get());
        advance(Duration.ofSeconds(2));
        cache.find(hash, TTL);
        assertEquals(2, reads.get(), "past its TTL it is read again");
    }
}
