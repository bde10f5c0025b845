package dev.gatehouse.bench;

import dev.gatehouse.pat.ApiKeyFormat;
import dev.gatehouse.pat.KeyAlphabet;
import dev.gatehouse.token.Environment;
import dev.gatehouse.token.TokenCache;
import dev.gatehouse.token.TokenHash;
import dev.gatehouse.token.TokenKind;
import dev.gatehouse.token.TokenRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The in-process part of {@code ApiGuard.require} for an API key, on Gatehouse's own classes, with no
 * HTTP, CDI or database. Target: {@link #verifyCachedKey} at most 2 µs (2,000 ns/op).
 *
 * <p>The steps are those of {@code ApiGuard.checkFormat / checkLive / checkScope} and
 * {@code TokenStore.findActive}: {@link ApiKeyFormat#check} (prefix, alphabet, CRC32 checksum), then
 * {@link TokenHash#of} (SHA-256), {@link TokenCache#find} (Caffeine lookup by hash bytes and constant-time
 * comparison), {@link TokenRecord#isActiveAt} with the wall clock, the API-credential kind check and
 * {@link TokenRecord#hasScope}. Not included: reading the header, {@code TokenStore.recordUse} (a
 * {@code ConcurrentHashMap} + {@code LongAdder} increment in {@code UsageRecorder}) and building the
 * response.
 *
 * <p>The other benchmarks split that cost: {@link #checksumOnly} and {@link #sha256Only} and
 * {@link #cacheFindOnly} are its pieces; {@link #checksumRejectsTypo} is what a mistyped key costs before
 * it is refused without any lookup.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
public class VerifyPathBenchmark {
    /** As in {@code MeResource}. */
    static final String SCOPE = "profile:read";
    /** As in {@code ApiGuard.API_CREDENTIALS}. */
    static final Set<TokenKind> API_CREDENTIALS = Set.of(TokenKind.API_KEY, TokenKind.AGENT);

    /** The server: one key format, one token cache, preloaded with minted keys. Shared by all threads. */
    @State(Scope.Benchmark)
    public static class Server {
        /** How many keys the cache holds; the benchmark picks among them at random. */
        @Param("10000")
        public int keys;

        final ApiKeyFormat format = new ApiKeyFormat("gth_live_", "gth_test_", KeyAlphabet.BASE62, 32);
        final Clock clock = Clock.systemUTC();
        /** Calls that missed the cache and would have gone to PostgreSQL: must stay 0. */
        final LongAdder loads = new LongAdder();
        TokenCache cache;
        /** Minted plaintext keys, in a shuffled order. */
        String[] presented;
        /** The same keys with one character of the random part changed: the checksum no longer matches. */
        String[] typos;
        /** The SHA-256 of each presented key, for {@link #cacheFindOnly}. */
        TokenHash[] hashes;

        @Setup(Level.Trial)
        public void start() {
            cache = new TokenCache(Duration.ofMinutes(5), 100_000, hash -> {
                loads.increment();
                return Optional.empty();
            });
            Random random = new Random(42);
            Instant created = clock.instant();
            List<String> minted = new ArrayList<>(keys);
            for (int i = 0; i < keys; i++) {
                ApiKeyFormat.MintedKey key = format.mint(i % 10 == 0 ? Environment.TEST : Environment.LIVE);
                cache.put(new TokenRecord(UUID.randomUUID(), TokenKind.API_KEY, UUID.randomUUID(), null,
                        TokenHash.of(key.plaintext()).bytes(), key.displayPrefix(), key.preview(), "bench " + i,
                        List.of("profile:read", "queue:read"), key.environment(), created, null, null, null, 0L,
                        Map.of()));
                minted.add(key.plaintext());
            }
            Collections.shuffle(minted, random);
            presented = minted.toArray(String[]::new);
            typos = new String[keys];
            hashes = new TokenHash[keys];
            for (int i = 0; i < keys; i++) {
                typos[i] = typo(presented[i], random);
                hashes[i] = TokenHash.of(presented[i]);
                if (format.check(presented[i]).isEmpty()) {
                    throw new IllegalStateException("a minted key failed its own format check");
                }
                if (format.check(typos[i]).isPresent()) {
                    throw new IllegalStateException("a typo'd key passed the checksum");
                }
            }
            if (loads.sum() != 0) {
                throw new IllegalStateException("preloading went to the loader");
            }
        }

        /** One character of the random part (after the prefix) replaced by another alphabet symbol. */
        private String typo(String key, Random random) {
            int prefixLength = key.startsWith("gth_live_") ? "gth_live_".length() : "gth_test_".length();
            int at = prefixLength + random.nextInt(32);
            char original = key.charAt(at);
            char replacement;
            do {
                replacement = KeyAlphabet.BASE62.symbol(random.nextInt(KeyAlphabet.BASE62.size()));
            } while (replacement == original);
            return key.substring(0, at) + replacement + key.substring(at + 1);
        }

        @TearDown(Level.Trial)
        public void stop() {
            if (loads.sum() != 0) {
                throw new IllegalStateException(loads.sum() + " lookups missed the cache: the cached path was not measured");
            }
        }
    }

    /** Each benchmark thread walks the shuffled keys from its own random starting point. */
    @State(Scope.Thread)
    public static class Cursor {
        private int next;
        private int size;

        @Setup(Level.Trial)
        public void start(Server server) {
            size = server.presented.length;
            next = new Random().nextInt(size);
        }

        int next() {
            int i = next;
            next = i + 1 == size ? 0 : i + 1;
            return i;
        }
    }

    /** The full cached verify: what {@code ApiGuard.require} does for a live key with the scope. */
    @Benchmark
    public TokenRecord verifyCachedKey(Server server, Cursor cursor) {
        String presented = server.presented[cursor.next()];
        // ApiGuard.checkFormat
        if (server.format.check(presented).isEmpty()) {
            throw new IllegalStateException("format check refused a minted key");
        }
        // ApiGuard.checkLive -> TokenStore.findActive -> TokenCache.find
        Instant now = server.clock.instant();
        TokenRecord token = server.cache.find(TokenHash.of(presented))
                .filter(found -> found.isActiveAt(now))
                .filter(found -> API_CREDENTIALS.contains(found.kind()))
                .orElseThrow(() -> new IllegalStateException("a preloaded key was not found"));
        // ApiGuard.checkScope
        if (!token.hasScope(SCOPE)) {
            throw new IllegalStateException("the key lacks " + SCOPE);
        }
        return token;
    }

    /** A key with one mistyped character: refused by the checksum, before any hashing or lookup. */
    @Benchmark
    public Optional<Environment> checksumRejectsTypo(Server server, Cursor cursor) {
        Optional<Environment> environment = server.format.check(server.typos[cursor.next()]);
        if (environment.isPresent()) {
            throw new IllegalStateException("a typo'd key passed the checksum");
        }
        return environment;
    }

    /** Piece: the format and checksum check of a valid key. */
    @Benchmark
    public Optional<Environment> checksumOnly(Server server, Cursor cursor) {
        return server.format.check(server.presented[cursor.next()]);
    }

    /** Piece: SHA-256 of the key ({@code TokenHash.of}). */
    @Benchmark
    public TokenHash sha256Only(Server server, Cursor cursor) {
        return TokenHash.of(server.presented[cursor.next()]);
    }

    /** Piece: the cache lookup by a precomputed hash (hex encoding, Caffeine get, constant-time compare). */
    @Benchmark
    public Optional<TokenRecord> cacheFindOnly(Server server, Cursor cursor) {
        return server.cache.find(server.hashes[cursor.next()]);
    }
}
