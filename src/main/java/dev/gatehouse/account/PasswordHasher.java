package dev.gatehouse.account;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Argon2id through password4j. Hashes are PHC strings, so each carries the parameters it was made with.
 * At most {@code gatehouse.passwords.max-concurrent-hashes} run at once: each takes {@code argon2-memory-kib}
 * of heap while it runs (password4j also keeps one such block per parameter set for as long as the process
 * lives), and the production heap is sized for that (README, "Production").
 */
@ApplicationScoped
public class PasswordHasher {
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private final Argon2Function argon2;
    private final Semaphore running;
    /** Verified against when the email is unknown, so both cases cost the same time. */
    private final String decoy;

    PasswordHasher(AccountConfig config) {
        int concurrent = config.passwords().maxConcurrentHashes();
        if (concurrent < 1) {
            throw new IllegalStateException("gatehouse.passwords.max-concurrent-hashes must be at least 1");
        }
        this.running = new Semaphore(concurrent, true);
        this.argon2 = Argon2Function.getInstance(config.passwords().argon2MemoryKib(),
                config.passwords().argon2Iterations(), 1, HASH_BYTES, Argon2.ID);
        this.decoy = hash("decoy password that matches nothing");
    }

    public String hash(String password) {
        return bounded(() -> Password.hash(password).addRandomSalt(SALT_BYTES).with(argon2).getResult());
    }

    public boolean matches(String password, String phcHash) {
        return bounded(() -> Password.check(password, phcHash).with(Argon2Function.getInstanceFromHash(phcHash)));
    }

    /** Runs {@code hashing} once a permit is free (first come, first served). */
    <T> T bounded(Supplier<T> hashing) {
        try {
            running.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to hash a password", e);
        }
        try {
            return hashing.get();
        } finally {
            running.release();
        }
    }

    /** Spends the time of one verification and fails. */
    public boolean matchesNothing(String password) {
        matches(password, decoy);
        return false;
    }
}
