package dev.gatehouse.account;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import jakarta.enterprise.context.ApplicationScoped;

/** Argon2id through password4j. Hashes are PHC strings, so each carries the parameters it was made with. */
@ApplicationScoped
public class PasswordHasher {
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private final Argon2Function argon2;
    /** Verified against when the email is unknown, so both cases cost the same time. */
    private final String decoy;

    PasswordHasher(AccountConfig config) {
        this.argon2 = Argon2Function.getInstance(config.passwords().argon2MemoryKib(),
                config.passwords().argon2Iterations(), 1, HASH_BYTES, Argon2.ID);
        this.decoy = hash("decoy password that matches nothing");
    }

    public String hash(String password) {
        return Password.hash(password).addRandomSalt(SALT_BYTES).with(argon2).getResult();
    }

    public boolean matches(String password, String phcHash) {
        return Password.check(password, phcHash).with(Argon2Function.getInstanceFromHash(phcHash));
    }

    /** Spends the time of one verification and fails. */
    public boolean matchesNothing(String password) {
        matches(password, decoy);
        return false;
    }
}
