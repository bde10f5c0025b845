package dev.gatehouse.account;

import dev.gatehouse.mail.Outbox;
import dev.gatehouse.state.AttemptLimits;
import dev.gatehouse.state.WindowCounters;
import dev.gatehouse.token.SecretGenerator;
import dev.gatehouse.token.TokenHash;
import dev.gatehouse.web.ServerConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import dev.gatehouse.db.Sql;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Creating accounts. Where mail can be sent, a sign-up is finished through an emailed link, and the answer
 * to {@code POST /signup} is the same whether or not the address already has an account: its owner is told
 * by mail instead, so the form reveals nothing about who has an account (issue 10 finding 9). Without mail
 * (a demo, a private deployment), sign-up signs the person in at once and says when an address is taken.
 * Either way, sign-ups are limited per caller address, and mails per recipient.
 */
@ApplicationScoped
public class Signups {
    private static final Logger LOG = Logger.getLogger(Signups.class);

    private final Accounts accounts;
    private final Outbox outbox;
    private final SecretGenerator secrets;
    private final Sql sql;
    private final Clock clock;
    private final AccountConfig.Signup config;
    private final AttemptLimits limits;
    private final String issuer;

    Signups(Accounts accounts, Outbox outbox, SecretGenerator secrets, Sql sql, Clock clock, AccountConfig config,
            WindowCounters counters, ServerConfig server) {
        this.accounts = accounts;
        this.outbox = outbox;
        this.secrets = secrets;
        this.sql = sql;
        this.clock = clock;
        this.config = config.signup();
        this.limits = new AttemptLimits(counters, clock, this.config.window());
        this.issuer = server.issuer().toString().replaceAll("/$", "");
    }

    /** Whether sign-up goes through an emailed link here. */
    public boolean confirmsByEmail() {
        return config.confirmByEmail().orElse(outbox.available()) && outbox.available();
    }

    /** Sign-up without mail: the account at once (409 when the address has one). */
    public Account signUpNow(String email, String password, String address) {
        // Counted before the password is hashed: a caller past its limit costs no Argon2 run.
        throttle(address, null);
        String normalized = accounts.checkedEmail(email);
        return accounts.create(normalized, accounts.checkedPasswordHash(password));
    }

    /**
     * Sign-up by emailed link. Bad input is 400 as always; otherwise nothing in the answer or its timing
     * depends on whether the address has an account: the password is hashed either way, and one mail goes
     * out either way (a link to finish, or a note to the owner).
     */
    public void start(String email, String password, String address) {
        String normalized = accounts.checkedEmail(email);
        throttle(address, normalized);
        String hash = accounts.checkedPasswordHash(password);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        QuarkusTransaction.requiringNew().run(() -> {
            if (accounts.findByEmail(normalized).isPresent()) {
                outbox.enqueue(normalized, "You already have an account",
                        "Someone, perhaps you, tried to create an account at " + issuer + " with this address.\n\n"
                                + "You already have one: sign in at " + issuer + "/login.\n\n"
                                + "If this was not you, there is nothing to do; nothing was changed.");
                return;
            }
            String token = "su_" + secrets.opaque();
            sql.update("insert into signup_confirmation (token_hash, email, password_hash, created_at, expires_at) values (?, ?, ?, ?, ?)",
                    TokenHash.of(token).bytes(), normalized, hash, now, now.plus(config.linkLifetime()));
            outbox.enqueue(normalized, "Finish creating your account",
                    "Open this link to finish creating your account at " + issuer + ":\n\n" + issuer + "/signup/confirm?token=" + token
                            + "\n\nIt works for " + config.linkLifetime().toMinutes() + " minutes. If you did not sign up, ignore this message.");
        });
        LOG.infof("Sign-up mail queued");
    }

    /** What came of an emailed link. */
    public sealed interface Confirmation {
        record Made(Account account) implements Confirmation {
        }

        /** The password typed does not match the one chosen at sign-up; the link still works. */
        record WrongPassword() implements Confirmation {
        }

        /** Unknown, used or expired; or the address has an account by now. */
        record Gone() implements Confirmation {
        }
    }

    /**
     * The emailed link comes back with the password typed again. Asking for it is what stops a stranger who
     * signed up with someone else's address from choosing their password: the owner, opening the link,
     * cannot type a password they never chose. The account is made once.
     */
    public Confirmation confirm(String token, String password) {
        if (token == null || !token.startsWith("su_") || token.length() > 200 || password == null || password.length() > 1024) {
            return new Confirmation.Gone();
        }
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                List<Object[]> rows = sql.list("select email, password_hash from signup_confirmation where token_hash = ? and expires_at > ?"
                        + " for update", row -> new Object[] {row.getString(1), row.getString(2)}, TokenHash.of(token).bytes(), clock.instant());
                if (rows.isEmpty()) {
                    return new Confirmation.Gone();
                }
                String email = (String) rows.getFirst()[0];
                String hash = (String) rows.getFirst()[1];
                if (!accounts.passwordMatches(password, hash)) {
                    return new Confirmation.WrongPassword();
                }
                sql.update("delete from signup_confirmation where token_hash = ?", (Object) TokenHash.of(token).bytes());
                // Two links for one address (signed up twice): the first one used makes the account.
                if (accounts.findByEmail(email).isPresent()) {
                    return new Confirmation.Gone();
                }
                return new Confirmation.Made(accounts.create(email, hash));
            });
        } catch (RuntimeException e) {
            if (dev.gatehouse.outcome.StoreUnavailable.violatedUniqueness(e)) {
                return new Confirmation.Gone(); // the other link for this address won the race
            }
            throw e;
        }
    }

    private void throttle(String address, String mailedTo) {
        List<AttemptLimits.Limit> counted = new ArrayList<>(2);
        if (address != null) {
            counted.add(new AttemptLimits.Limit("signups-from:" + AttemptLimits.network(address), config.perAddress()));
        }
        if (mailedTo != null) {
            counted.add(new AttemptLimits.Limit("signup-mails:" + TokenHash.of(mailedTo).hex(), config.mailsPerEmail()));
        }
        limits.require(counted, "Too many sign-ups; try again later");
    }
}
