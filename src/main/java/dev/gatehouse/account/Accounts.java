package dev.gatehouse.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatehouse.outcome.Rejection;
import dev.gatehouse.db.Sql;
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
    private final Sql sql;
    private final java.time.Clock clock;

    Accounts(PasswordHasher hasher, AccountConfig config, TokenStore tokens, Sql sql, java.time.Clock clock) {
        this.hasher = hasher;
        this.sql = sql;
        this.clock = clock;
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

    /**
     * Whether {@code password} is the account's own. An account made by an agent or an upstream provider has
     * no usable password, so nothing matches until one is set through a reset.
     */
    public boolean hasPassword(UUID id, String password) {
        if (password == null || password.length() > MAX_PASSWORD_LENGTH) {
            return false;
        }
        Optional<String> hash = sql.one("select password_hash from account where id = ?", row -> row.getString(1), id);
        return hash.isPresent() && hasher.matches(password, hash.get());
    }

    /** Sets an account's password, in the caller's transaction (a reset or a change, which end sessions too). */
    void setPasswordHash(UUID id, String passwordHash) {
        sql.update("update account set password_hash = ? where id = ?", passwordHash, id);
    }

    /** Makes the account, its password already hashed; 409 when the email has one. */
    Account create(String email, String passwordHash) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            if (storedByEmail(email).isPresent()) {
                throw Rejection.conflict("An account with this email already exists");
            }
            Account account = new Account(UUID.randomUUID(), email, clock.instant().truncatedTo(ChronoUnit.MICROS), null);
            sql.update("insert into account (id, email, password_hash, created_at) values (?, ?, ?, ?)", account.id(), email,
                    passwordHash, account.createdAt());
            return account;
        });
    }

    /** The account whose password this is; empty for a wrong password and an unknown email alike. */
    public Optional<Account> authenticate(String rawEmail, String password) {
        String email = normalizeEmail(rawEmail);
        if (password == null || password.length() > MAX_PASSWORD_LENGTH) {
            return Optional.empty();
        }
        // An email that cannot be an account's (a control character, too long) is never looked up: unknown, same work.
        Optional<Stored> found = looksLikeEmail(email) ? storedByEmail(email) : Optional.empty();
        if (found.isEmpty()) {
            hasher.matchesNothing(password);
            return Optional.empty();
        }
        return hasher.matches(password, found.get().passwordHash()) ? Optional.of(found.get().account()) : Optional.empty();
    }

    /**
     * Locks the account's row until the caller's transaction ends: changes that count what an account has (its
     * passkeys, say) then run one at a time.
     */
    public void lock(UUID id) {
        sql.one("select id from account where id = ? for update", row -> row.getObject("id", UUID.class), id);
    }

    public Optional<Account> find(UUID id) {
        Account cached = byId.getIfPresent(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Account> loaded = sql.one("select " + COLUMNS + " from account where id = ?", Accounts::read, id).map(Stored::account);
        loaded.ifPresent(account -> byId.put(id, account));
        return loaded;
    }

    /**
     * Disables an account: it signs in no more, and every token it holds (sessions, API keys, agents' keys,
     * OAuth tokens and codes) is revoked in the same transaction, on every node at once. Disabling a
     * disabled account changes nothing. Empty when there is no such account.
     */
    public Optional<Account> disable(UUID id, Instant at) {
        Optional<Account> disabled = QuarkusTransaction.requiringNew().call(() -> sql.one(
                "select " + COLUMNS + " from account where id = ? for update", Accounts::read, id).map(Stored::account).map(account -> {
                    if (account.disabledAt() != null) {
                        return account;
                    }
                    Instant disabledAt = at.truncatedTo(ChronoUnit.MICROS);
                    sql.update("update account set disabled_at = ? where id = ?", disabledAt, id);
                    tokens.revokeAccountTokens(id);
                    return new Account(account.id(), account.email(), account.createdAt(), disabledAt);
                }));
        byId.invalidate(id);
        return disabled;
    }

    /** Lets a disabled account sign in again. Its tokens stay revoked. */
    public Optional<Account> enable(UUID id) {
        Optional<Account> enabled = QuarkusTransaction.requiringNew().call(() -> sql.one(
                "update account set disabled_at = null where id = ? returning " + COLUMNS, Accounts::read, id).map(Stored::account));
        byId.invalidate(id);
        return enabled;
    }

    /** Accounts whose email contains {@code fragment} (any, if blank), in email order after {@code after}, {@code limit} at most. */
    public List<Account> search(String fragment, String after, int limit) {
        String pattern = "%" + (fragment == null ? "" : normalizeEmail(fragment).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")) + "%";
        return sql.list("select " + COLUMNS + " from account where email like ? and email > ? order by email limit ?", Accounts::read,
                pattern, after == null ? "" : after, limit).stream().map(Stored::account).toList();
    }

    public Optional<Account> findByEmail(String rawEmail) {
        return storedByEmail(normalizeEmail(rawEmail)).map(Stored::account);
    }

    private static final String COLUMNS = "id, email, password_hash, created_at, disabled_at";

    /** An account as stored: what the rest of Gatehouse sees, and the password hash only sign-in reads. */
    private record Stored(Account account, String passwordHash) {
    }

    private Optional<Stored> storedByEmail(String normalizedEmail) {
        return sql.one("select " + COLUMNS + " from account where email = ?", Accounts::read, normalizedEmail);
    }

    private static Stored read(java.sql.ResultSet row) throws java.sql.SQLException {
        return new Stored(new Account(row.getObject("id", UUID.class), row.getString("email"), Sql.instant(row, "created_at"),
                Sql.instant(row, "disabled_at")), row.getString("password_hash"));
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
