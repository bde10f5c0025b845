package dev.gatehouse.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Argon2id hashes that verify, and at most max-concurrent-hashes of them running at once (their heap is bounded). */
class PasswordHasherTest {

    @Test
    void hashesVerifyAndNothingElseDoes() {
        PasswordHasher hasher = new PasswordHasher(config(1));
        String hash = hasher.hash("correct horse battery");
        assertTrue(hash.startsWith("$argon2id$"), hash);
        assertTrue(hasher.matches("correct horse battery", hash));
        assertFalse(hasher.matches("correct horse battery!", hash));
        assertFalse(hasher.matchesNothing("correct horse battery"));
    }

    @Test
    void oneHashAtATimeByDefaultTheOthersWaitTheirTurn() throws Exception {
        PasswordHasher hasher = new PasswordHasher(config(1));
        assertEquals(1, runningAtMost(hasher, 4, 2), "a second hash ran while the first held the only permit");
    }

    @Test
    void asManyAtOnceAsConfigured() throws Exception {
        PasswordHasher hasher = new PasswordHasher(config(3));
        assertEquals(3, runningAtMost(hasher, 6, 3));
    }

    @Test
    void refusesLessThanOne() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new PasswordHasher(config(0)));
        assertTrue(e.getMessage().contains("max-concurrent-hashes"), e.getMessage());
    }

    /**
     * Starts {@code callers} hashings that each hold their permit until {@code expected} of them are in (or
     * 300 ms have passed), and returns the most that were ever inside at once, as seen by the last one in.
     */
    private static int runningAtMost(PasswordHasher hasher, int callers, int expected) throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch enoughInside = new CountDownLatch(expected);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            Future<?>[] done = new Future<?>[callers];
            for (int i = 0; i < callers; i++) {
                done[i] = pool.submit(() -> hasher.bounded(() -> {
                    most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    enoughInside.countDown();
                    try {
                        // Holds the permit a while, so callers beyond the permits would overlap if let in.
                        enoughInside.await(300, TimeUnit.MILLISECONDS);
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    inside.decrementAndGet();
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return most.get();
    }

    /** An AccountConfig whose passwords() has cheap Argon2 settings and the given bound; nothing else is read. */
    private static AccountConfig config(int maxConcurrentHashes) {
        AccountConfig.Passwords passwords = (AccountConfig.Passwords) Proxy.newProxyInstance(
                AccountConfig.Passwords.class.getClassLoader(), new Class<?>[] { AccountConfig.Passwords.class },
                (proxy, method, args) -> switch (method.getName()) {
                    case "argon2MemoryKib" -> 1024;
                    case "argon2Iterations" -> 1;
                    case "maxConcurrentHashes" -> maxConcurrentHashes;
                    case "minLength" -> 10;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (AccountConfig) Proxy.newProxyInstance(AccountConfig.class.getClassLoader(), new Class<?>[] { AccountConfig.class },
                (proxy, method, args) -> {
                    if (method.getName().equals("passwords")) {
                        return passwords;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
