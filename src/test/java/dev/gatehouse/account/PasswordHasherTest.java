package dev.gatehouse.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Argon2id hashes that verify, the same as password4j's (which made the hashes stored before issue 11), and at
 * most max-concurrent-hashes of them running at once (their heap is bounded).
 */
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
    void hashesPassword4jMadeStillVerify() {
        PasswordHasher hasher = new PasswordHasher(config(1));
        // Made by password4j 1.8.4 (Argon2Function.getInstance(m, t, 1, 32, Argon2.ID), a random 16-byte salt):
        // one with the test's cheap settings and a non-ASCII password, one with the production defaults.
        String cheap = "$argon2id$v=19$m=1024,t=1,p=1$cR/e5HFhfvSvQ9ICPkbDkg$djWRWJsOpILQBsqu0iuDGJYT8X2IazHE4xT7ngvT0uU";
        assertTrue(hasher.matches("correct horse \u2603 battery", cheap));
        assertFalse(hasher.matches("correct horse battery", cheap));
        String production = "$argon2id$v=19$m=19456,t=2,p=1$fqfC4QDJQ1nWqhAlfZdZxQ$sXyCFGtp6gUZQx26C/TYQY+xITIyw/jPDhhr0q4B+5Q";
        assertTrue(hasher.matches("demo-password-123", production));
        assertFalse(hasher.matches("demo-password-124", production));

        // Both ways, with a fresh salt each time.
        String byPassword4j = Password.hash("\u00e9t\u00e9 2026!").addRandomSalt(16)
                .with(Argon2Function.getInstance(1024, 1, 1, 32, Argon2.ID)).getResult();
        assertTrue(hasher.matches("\u00e9t\u00e9 2026!", byPassword4j));
        String ours = hasher.hash("\u00e9t\u00e9 2026!");
        assertTrue(Password.check("\u00e9t\u00e9 2026!", ours).with(Argon2Function.getInstanceFromHash(ours)));
        assertFalse(Password.check("ete 2026!", ours).with(Argon2Function.getInstanceFromHash(ours)));
    }

    @Test
    void anythingButAnArgon2HashMatchesNothing() {
        PasswordHasher hasher = new PasswordHasher(config(1));
        String good = hasher.hash("correct horse battery");
        for (String bad : new String[] { null, "", "correct horse battery", "$2a$10$abcdefghijklmnopqrstuv",
                good.replace("$argon2id$", "$argon2x$"), good.replace("m=1024", "m=99999999999"), good.replace("t=1", "t=0"),
                good.replace("v=19", "v=20"), good.substring(0, good.lastIndexOf('$')) + "$!!" }) {
            assertFalse(hasher.matches("correct horse battery", bad), String.valueOf(bad));
        }
        assertTrue(hasher.matches("correct horse battery", good));
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
