package dev.gatehouse.account;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id (RFC 9106) through Bouncy Castle. Hashes are PHC strings,
 * {@code $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>} (base64 without padding), so each carries the
 * parameters it was made with; the hashes password4j made before are the same strings and verify unchanged.
 *
 * <p>At most {@code gatehouse.passwords.max-concurrent-hashes} run at once: each takes {@code argon2-memory-kib}
 * of heap while it runs, and gives it back when done (password4j kept one such block per parameter set for
 * the life of the process, 19 MiB of a 96 MiB heap: issue 11). The production heap is sized for that
 * (README, "Production").
 */
@ApplicationScoped
public class PasswordHasher {
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Base64.Encoder BASE64 = Base64.getEncoder().withoutPadding();
    /** A PHC string of Argon2: variant, optional version, memory, passes, lanes, salt, hash. */
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2(id|i|d)(?:\\$v=(\\d+))?\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    /** Bounds on what a stored hash may ask for (m in KiB): well above any sane setting, far below harm. */
    private static final int MAX_MEMORY_KIB = 1 << 22;
    private static final int MAX_PASSES = 100;

    private final SecureRandom random = new SecureRandom();
    private final int memoryKib;
    private final int passes;
    private final Semaphore running;
    /** Verified against when the email is unknown, so both cases cost the same time. */
    private final String decoy;

    PasswordHasher(AccountConfig config) {
        int concurrent = config.passwords().maxConcurrentHashes();
        if (concurrent < 1) {
            throw new IllegalStateException("gatehouse.passwords.max-concurrent-hashes must be at least 1");
        }
        this.running = new Semaphore(concurrent, true);
        this.memoryKib = config.passwords().argon2MemoryKib();
        this.passes = config.passwords().argon2Iterations();
        this.decoy = hash("decoy password that matches nothing");
    }

    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = bounded(() -> argon2(Argon2Parameters.ARGON2_id, Argon2Parameters.ARGON2_VERSION_13, memoryKib, passes, 1,
                salt, password, HASH_BYTES));
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + passes + ",p=1$" + BASE64.encodeToString(salt) + "$"
                + BASE64.encodeToString(hash);
    }

    /** Whether {@code password} is the one {@code phcHash} was made from; false for anything that is not an Argon2 hash. */
    public boolean matches(String password, String phcHash) {
        Matcher phc = phcHash == null ? null : PHC.matcher(phcHash);
        if (phc == null || !phc.matches()) {
            return false;
        }
        int type = switch (phc.group(1)) {
            case "id" -> Argon2Parameters.ARGON2_id;
            case "i" -> Argon2Parameters.ARGON2_i;
            default -> Argon2Parameters.ARGON2_d;
        };
        try {
            int version = phc.group(2) == null ? Argon2Parameters.ARGON2_VERSION_10 : Integer.parseInt(phc.group(2));
            int memory = Integer.parseInt(phc.group(3));
            int passesOfHash = Integer.parseInt(phc.group(4));
            int lanes = Integer.parseInt(phc.group(5));
            byte[] salt = Base64.getDecoder().decode(phc.group(6));
            byte[] expected = Base64.getDecoder().decode(phc.group(7));
            if ((version != Argon2Parameters.ARGON2_VERSION_10 && version != Argon2Parameters.ARGON2_VERSION_13) || lanes < 1
                    || memory < 8 * lanes || memory > MAX_MEMORY_KIB || passesOfHash < 1 || passesOfHash > MAX_PASSES
                    || expected.length < 4) {
                return false;
            }
            byte[] actual = bounded(() -> argon2(type, version, memory, passesOfHash, lanes, salt, password, expected.length));
            return MessageDigest.isEqual(actual, expected);
        } catch (IllegalArgumentException e) { // a number out of range, bad base64
            return false;
        }
    }

    /** Spends the time of one verification and fails. */
    public boolean matchesNothing(String password) {
        matches(password, decoy);
        return false;
    }

    private static byte[] argon2(int type, int version, int memoryKib, int passes, int lanes, byte[] salt, String password, int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(type).withVersion(version).withMemoryAsKB(memoryKib).withIterations(passes)
                .withParallelism(lanes).withSalt(salt).build());
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
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
}
