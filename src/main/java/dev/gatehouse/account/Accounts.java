package dev.gatehouse.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatehouse.outcome.Rejection;
import dev.gatehouse.token.TokenStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Sign-up and password checks. Emails are trimmed and lower-cased before anything else. */
@ApplicationScoped
public class Accounts {
    /** Deliberately loose: one @, something either side, a dot in the domain, no spaces. */
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s\\p{Cntrl}]+@[^@\\s\\p{Cntrl}]+\\.[^@\\s\\p{Cntrl}]+$");
    private static final int MAX_EMAIL_LENGTH = 254;
    /** Long enough for any passphrase, short enough that hashing it is no denial of service. */
    private static final int MAX_PASSWORD_LENGTH = 1024;

    private final PasswordHasher hasher;
    private final AccountConfig.Passwords config;
    /**
     * Accounts by id for the API hot path; an account's email changes rarely, if ever. Sized for the accounts
     * active within the minute on one node, within the production heap (a few hundred bytes each).
     */
    private final Cache<UUID, Account> byId = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(1)).maximumSize(10_000).build();

    private final TokenStore tokens;

    Accounts(PasswordHasher hasher, AccountConfig config, TokenStore tokens) {
        this.hasher = hasher;
        this.tokens = tokens;
        this.config = config.passwords();
    }

    public static String normalizeEmail(String email) {
        return email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
    }

    /** The loose shape check sign-up applies; {@code email} already normalised. */
    public static boolean looksLikeEmail(String email) {
        return email != null && email.length() <= MAX_EMAIL_LENGTH && EMAIL.matcher(email).matches();
    }

    public Account signUp(String rawEmail, String password) {
        String email = checkedEmail(rawEmail);
        checkPassword(password);
        return create(email, hasher.hash(password));
    }

    /** The normalised email, or 400 when it cannot be an account's. */
    String checkedEmail(String rawEmail) {
        String email = normalizeEmail(rawEmail);
        checkEmail(email);
        return email;
    }

    /** The password's Argon2id hash, or 400 when it is not an acceptable password. */
    String checkedPasswordHash(String password) {
        checkPassword(password);
        return hasher.hash(password);
    }

    /** Whether {@code password} is the one {@code phcHash} was made from (Argon2id). */
    boolean passwordMatches(String password, String phcHash) {
        return hasher.matches(password, phcHash);
    }

    /** Makes the account, its password already hashed; 409 when the email has one. */
    Account create(String email, String passwordHash) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            if (AccountEntity.findByEmail(email).isPresent()) {
                throw Rejection.conflict("An account with this email already exists");
            }
            AccountEntity entity = new AccountEntity();
            entity.id = UUID.randomUUID();
            entity.email = email;
            entity.passwordHash = passwordHash;
            entity.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            entity.persist();
            return entity.toAccount();
        });
    }

    /** The account whose password this is; empty for a wrong password and an unknown email alike. */
    public Optional<Account> authenticate(String rawEmail, String password) {
        String email = normalizeEmail(rawEmail);
        if (password == null || password.length() > MAX_PASSWORD_LENGTH) {
            return Optional.empty();
        }
        // An email that cannot be an account's (a control character, too long) is never looked up: unknown, same work.
        Optional<AccountEntity> found = looksLikeEmail(email)
                ? QuarkusTransaction.joiningExisting().call(() -> AccountEntity.findByEmail(email))
                : Optional.empty();
        if (found.isEmpty()) {
            hasher.matchesNothing(password);
            return Optional.empty();
        }
        return hasher.matches(password, found.get().passwordHash) ? Optional.of(found.get().toAccount()) : Optional.empty();
    }

    public Optional<Account> find(UUID id) {
        Account cached = byId.getIfPresent(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Account> loaded = QuarkusTransaction.joiningExisting()
                .call(() -> AccountEntity.<AccountEntity>findByIdOptional(id).map(AccountEntity::toAccount));
        loaded.ifPresent(account -> byId.put(id, account));
        return loaded;
    }

    /**
     * Disables an account: it signs in no more, and every token it holds (sessions, API keys, agents' keys,
     * OAuth tokens and codes) is revoked in the same transaction, on every node at once. Disabling a
     * disabled account changes nothing. Empty when there is no such account.
     */
    public Optional<Account> disable(UUID id, Instant at) {
        Optional<Account> disabled = QuarkusTransaction.requiringNew().call(() -> AccountEntity.<AccountEntity>findByIdOptional(id,
                jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).map(entity -> {
                    if (entity.disabledAt == null) {
                        entity.disabledAt = at.truncatedTo(ChronoUnit.MICROS);
                        tokens.revokeAccountTokens(id);
                    }
                    return entity.toAccount();
                }));
        byId.invalidate(id);
        return disabled;
    }

    /** Lets a disabled account sign in again. Its tokens stay revoked. */
    public Optional<Account> enable(UUID id) {
        Optional<Account> enabled = QuarkusTransaction.requiringNew().call(() -> AccountEntity.<AccountEntity>findByIdOptional(id)
                .map(entity -> {
                    entity.disabledAt = null;
                    return entity.toAccount();
                }));
        byId.invalidate(id);
        return enabled;
    }

    /** Accounts whose email contains {@code fragment} (any, if blank), in email order after {@code after}, {@code limit} at most. */
    public List<Account> search(String fragment, String after, int limit) {
        String pattern = "%" + (fragment == null ? "" : normalizeEmail(fragment).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")) + "%";
        return QuarkusTransaction.joiningExisting().call(() -> AccountEntity.<AccountEntity>find(
                "email like ?1 and email > ?2 order by email", pattern, after == null ? "" : after)
                .page(0, limit).list().stream().map(AccountEntity::toAccount).toList());
    }

    public Optional<Account> findByEmail(String rawEmail) {
        return QuarkusTransaction.joiningExisting()
                .call(() -> AccountEntity.findByEmail(normalizeEmail(rawEmail)).map(AccountEntity::toAccount));
    }

    private static void checkEmail(String email) {
        if (email.isEmpty()) {
            throw Rejection.invalid("email is required");
        }
        if (email.length() > MAX_EMAIL_LENGTH || !EMAIL.matcher(email).matches()) {
            throw Rejection.invalid("email is not a valid email address");
        }
    }

    private void checkPassword(String password) {
        if (password == null || password.length() < config.minLength()) {
            throw Rejection.invalid("password must be at least " + config.minLength() + " characters");
        }
        if (password.length() > MAX_PASSWORD_LENGTH) {
            throw Rejection.invalid("password must be at most " + MAX_PASSWORD_LENGTH + " characters");
        }
    }
}
