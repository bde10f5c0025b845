package dev.gatehouse.account;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.mail.Outbox;
import dev.gatehouse.outcome.Rejection;
import dev.gatehouse.state.AttemptLimits;
import dev.gatehouse.state.WindowCounters;
import dev.gatehouse.token.NewToken;
import dev.gatehouse.token.SecretGenerator;
import dev.gatehouse.token.TokenHash;
import dev.gatehouse.token.TokenKind;
import dev.gatehouse.token.TokenRecord;
import dev.gatehouse.token.TokenStore;
import dev.gatehouse.web.ServerConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * A person's password after sign-up (issue 12 §2): a reset by emailed link, and a change while signed in.
 * The link's secret is a {@link TokenKind#PASSWORD_RESET} token of the one store: only its hash is kept, it
 * works for {@code reset-link-lifetime}, once, and only the newest one an account was sent. A reset ends every
 * session of the account, a change every other one. Accounts that an agent or an upstream provider made,
 * which have no usable password, get one through the reset.
 */
@ApplicationScoped
public class Passwords {
    private static final Logger LOG = Logger.getLogger(Passwords.class);
    /** The reset link's secret starts so: a secret scanner, or a person, can tell what it is. */
    public static final String RESET_PREFIX = "pr_";

    private final Accounts accounts;
    private final TokenStore tokens;
    private final Outbox outbox;
    private final SecretGenerator secrets;
    private final AuditLog audit;
    private final AccountConfig.Passwords config;
    private final AttemptLimits limits;
    private final String issuer;
    private final jakarta.enterprise.event.Event<Recovered> recovered;

    Passwords(jakarta.enterprise.event.Event<Recovered> recovered, Accounts accounts, TokenStore tokens, Outbox outbox,
            SecretGenerator secrets, AuditLog audit, AccountConfig config,
            WindowCounters counters, Clock clock, ServerConfig server) {
        this.recovered = recovered;
        this.accounts = accounts;
        this.tokens = tokens;
        this.outbox = outbox;
        this.secrets = secrets;
        this.audit = audit;
        this.config = config.passwords();
        this.limits = new AttemptLimits(counters, clock, this.config.resetWindow());
        this.issuer = server.issuer().toString().replaceAll("/$", "");
    }

    /** Whether a reset can be asked for here: it needs mail. */
    public boolean resetsByEmail() {
        return outbox.available();
    }

    /**
     * Asks for a reset link. The answer is the same whether or not the address has an account (nothing in
     * it, or in its timing, says which); the account's owner gets the link by mail, through the outbox.
     * Limited per caller address and per recipient.
     */
    public void requestReset(String email, String address) {
        String normalized = Accounts.normalizeEmail(email);
        if (!Accounts.looksLikeEmail(normalized)) {
            throw Rejection.invalid("email is not a valid email address");
        }
        throttle(address, normalized);
        QuarkusTransaction.requiringNew().run(() -> {
            Optional<Account> account = accounts.findByEmail(normalized).filter(found -> found.disabledAt() == null);
            if (account.isEmpty()) {
                return; // nothing to send: saying "no such account" would tell a stranger who has one
            }
            UUID id = account.get().id();
            // Only the newest link works: an older one, in an inbox someone else may read, is dead.
            tokens.revokeOwnedExcept(id, TokenKind.PASSWORD_RESET, null);
            String secret = RESET_PREFIX + secrets.opaque();
            tokens.issue(secret, NewToken.of(TokenKind.PASSWORD_RESET, id).expiringAt(tokens.now().plus(config.resetLinkLifetime())));
            outbox.enqueue(normalized, "Reset your password",
                    "Someone, perhaps you, asked to reset the password of your account at " + issuer + ".\n\n"
                            + "To choose a new one, open this link:\n\n" + issuer + "/password-reset/confirm?token=" + secret
                            + "\n\nIt works once, for " + config.resetLinkLifetime().toMinutes() + " minutes. If you did not ask,"
                            + " ignore this message: your password stays as it is.");
            audit.record(AuditEvent.Type.PASSWORD_RESET_REQUESTED, AuditEvent.Actor.ANONYMOUS, id, null, Map.of());
        });
        LOG.debug("Password reset asked for");
    }

    /**
     * Fired in the transaction of a reset: the account may have been someone else's until now, so whatever
     * else opens it without the password (a linked provider) goes with the old password.
     */
    public record Recovered(UUID accountId) {
    }

    /** What came of a reset link used with a new password. */
    public sealed interface Reset {
        record Done(Account account) implements Reset {
        }

        /** Unknown, used, superseded or expired; or the account was disabled since. */
        record Gone() implements Reset {
        }
    }

    /** Whether a reset link still works: the page that asks for the new password says so before anything is typed. */
    public boolean resetLinkWorks(String secret) {
        return liveResetLink(secret).isPresent();
    }

    /**
     * Sets the new password through a reset link, which is used up by it, and ends every session of the
     * account. A password the policy refuses is a {@link Rejection}, and the link still works.
     */
    public Reset reset(String secret, String newPassword) {
        Optional<TokenRecord> link = liveResetLink(secret);
        if (link.isEmpty()) {
            return new Reset.Gone();
        }
        // Hashed only for a live link: a stranger's guesses cost a lookup, not an Argon2id run.
        String hash = accounts.checkedPasswordHash(newPassword);
        return QuarkusTransaction.requiringNew().call(() -> {
            Optional<Account> account = accounts.find(link.get().accountId()).filter(found -> found.disabledAt() == null);
            if (account.isEmpty() || !tokens.consume(link.get())) {
                return new Reset.Gone(); // another tab used it first, or the account went
            }
            UUID id = account.get().id();
            accounts.setPasswordHash(id, hash);
            tokens.revokeOwnedExcept(id, TokenKind.SESSION, null);
            recovered.fire(new Recovered(id));
            audit.record(AuditEvent.Type.PASSWORD_RESET, AuditEvent.Actor.person(id), id, null, Map.of());
            return new Reset.Done(account.get());
        });
    }

    /**
     * Changes a signed-in person's password: the current one first (a borrowed session alone cannot take
     * the account), then the new one. Every other session of theirs ends; this one goes on. Wrong current
     * passwords are limited as sign-ins are.
     */
    public void change(SignedIn person, String currentPassword, String newPassword) {
        AttemptLimits.Limit limit = new AttemptLimits.Limit("password-change:" + person.accountId(), config.resetsPerAddress());
        limits.require(List.of(limit), "Too many attempts; try again later");
        if (!accounts.hasPassword(person.accountId(), currentPassword)) {
            throw Rejection.invalid("That is not your current password");
        }
        String hash = accounts.checkedPasswordHash(newPassword);
        QuarkusTransaction.requiringNew().run(() -> {
            accounts.setPasswordHash(person.accountId(), hash);
            tokens.revokeOwnedExcept(person.accountId(), TokenKind.SESSION, person.session().id());
            tokens.revokeOwnedExcept(person.accountId(), TokenKind.PASSWORD_RESET, null);
            audit.record(AuditEvent.Type.PASSWORD_CHANGED, AuditEvent.Actor.person(person.accountId()), person.accountId(), null, Map.of());
        });
    }

    private Optional<TokenRecord> liveResetLink(String secret) {
        if (secret == null || !secret.startsWith(RESET_PREFIX) || secret.length() > 200) {
            return Optional.empty();
        }
        return tokens.findActive(secret).filter(token -> token.kind() == TokenKind.PASSWORD_RESET);
    }

    private void throttle(String address, String mailedTo) {
        List<AttemptLimits.Limit> counted = new ArrayList<>(2);
        if (address != null) {
            counted.add(new AttemptLimits.Limit("resets-from:" + AttemptLimits.network(address), config.resetsPerAddress()));
        }
        counted.add(new AttemptLimits.Limit("reset-mails:" + TokenHash.of(mailedTo).hex(), config.resetMailsPerEmail()));
        limits.require(counted, "Too many reset requests; try again later");
    }
}
