package dev.gatehouse.passkey;

import dev.gatehouse.account.Account;
import dev.gatehouse.account.Accounts;
import dev.gatehouse.account.Passwords;
import dev.gatehouse.account.SignedIn;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.mail.Outbox;
import dev.gatehouse.outcome.Rejection;
import dev.gatehouse.web.ServerConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.webauthn.WebAuthnCredentialRecord;
import io.quarkus.security.webauthn.WebAuthnSecurity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import dev.gatehouse.state.AttemptLimits;
import dev.gatehouse.state.HotState;
import dev.gatehouse.state.WindowCounters;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Passkeys, a second way in (issue 12 §2): a signed-in person registers one from their security page; anyone then
 * signs in with it from the sign-in page, without typing an email (the passkey is discoverable and names the
 * account). Quarkus' WebAuthn extension makes the challenges (in a cookie it encrypts) and verifies what the
 * authenticator signed (webauthn4j: origin, relying party, challenge, user verification, signature, counter);
 * Gatehouse keeps the credentials ({@link PasskeyStore}) and starts its own session. A password reset removes
 * every passkey: the account may have been someone else's until then.
 *
 * <p>What Gatehouse adds to the extension: every options request gets a new challenge (the extension would reuse
 * the one in the cookie, and so keep it alive), and a challenge verifies once, on every node ({@link HotState}),
 * so a captured answer cannot be replayed; adding a passkey takes the current password unless the session began
 * within {@link #FRESH_SIGN_IN} (a borrowed session alone adds no way in); the signature counter only goes up.
 */
@ApplicationScoped
public class Passkeys {
    private static final Logger LOG = Logger.getLogger(Passkeys.class);
    /** Enough for every device a person owns; a stolen session cannot pile up more. */
    static final int MAX_PER_ACCOUNT = 20;
    private static final Duration VERIFY_WITHIN = Duration.ofSeconds(10);
    /** A session this young was signed into just now: adding a passkey needs no password again. */
    static final Duration FRESH_SIGN_IN = Duration.ofMinutes(5);
    /**
     * How long a used challenge is remembered: longer than the challenge cookie lives
     * ({@code quarkus.webauthn.session-timeout}), after which the extension refuses the cookie itself.
     */
    private static final Duration USED_CHALLENGES = Duration.ofMinutes(15);

    private final WebAuthnSecurity webAuthn;
    private final PasskeyStore store;
    private final Accounts accounts;
    private final AuditLog audit;
    private final Outbox outbox;
    private final Clock clock;
    private final String issuer;
    private final HotState hotState;
    private final AttemptLimits passwordAttempts;
    private final String challengeCookie;

    Passkeys(WebAuthnSecurity webAuthn, PasskeyStore store, Accounts accounts, AuditLog audit, Outbox outbox, Clock clock,
            ServerConfig server, HotState hotState, WindowCounters counters,
            @ConfigProperty(name = "quarkus.webauthn.challenge-cookie-name") String challengeCookie) {
        this.hotState = hotState;
        this.passwordAttempts = new AttemptLimits(counters, clock, Duration.ofMinutes(15));
        this.challengeCookie = challengeCookie;
        this.webAuthn = webAuthn;
        this.store = store;
        this.accounts = accounts;
        this.audit = audit;
        this.outbox = outbox;
        this.clock = clock;
        this.issuer = server.issuer().toString().replaceAll("/$", "");
    }

    /**
     * The options for {@code navigator.credentials.create()}, as JSON; the challenge goes in a cookie on
     * {@code context}. The current password first, unless the person signed in within {@link #FRESH_SIGN_IN}.
     */
    public String registrationOptions(SignedIn person, String currentPassword, RoutingContext context) {
        boolean fresh = person.session().createdAt().plus(FRESH_SIGN_IN).isAfter(clock.instant());
        if (!fresh) {
            passwordAttempts.require(List.of(new AttemptLimits.Limit("passkey-password:" + person.accountId(), 5)),
                    "Too many attempts; try again later");
            if (currentPassword == null || !accounts.hasPassword(person.accountId(), currentPassword)) {
                throw Rejection.invalid("Type your current password to add a passkey (not needed just after signing in)");
            }
        }
        if (store.of(person.accountId()).size() >= MAX_PER_ACCOUNT) {
            throw Rejection.conflict("You have " + MAX_PER_ACCOUNT + " passkeys already: remove one first");
        }
        newChallenge(context);
        // The extension's "username" is what a passkey picker shows: the email. The account is the row's.
        String options = webAuthn.toJsonString(await(webAuthn.getRegisterChallenge(person.email(), person.email(), context)));
        guardChallengeCookie(context);
        return options;
    }

    /** Verifies what the authenticator made and keeps it for the person; the owner is mailed. */
    public PasskeyStore.Passkey register(SignedIn person, JsonObject response, String label, RoutingContext context) {
        String name = label == null || label.isBlank() ? "Passkey" : label.strip();
        if (name.length() > 60 || name.chars().anyMatch(Character::isISOControl)) {
            throw Rejection.invalid("A passkey's name is at most 60 characters, without control characters");
        }
        WebAuthnCredentialRecord verified = verified(webAuthn.register(person.email(), response, context), response);
        boolean added = QuarkusTransaction.requiringNew().call(() -> {
            accounts.lock(person.accountId()); // one registration at a time per account: the limit holds
            if (store.of(person.accountId()).size() >= MAX_PER_ACCOUNT || !store.add(person.accountId(), verified, name, clock.instant())) {
                return false;
            }
            audit.record(AuditEvent.Type.PASSKEY_ADDED, AuditEvent.Actor.person(person.accountId()), person.accountId(), null,
                    Map.of("name", name));
            // The owner hears of every new way into their account.
            outbox.enqueue(person.email(), "A passkey was added to your account", "A passkey named \"" + name + "\" now signs in to your"
                    + " account at " + issuer + ".\n\nIf this was not you, remove it on " + issuer + "/account/security and reset your"
                    + " password at " + issuer + "/password-reset: that removes every passkey.");
            return true;
        });
        if (!added) {
            throw Rejection.conflict("This passkey is registered already, or you have " + MAX_PER_ACCOUNT + " passkeys");
        }
        return store.find(verified.getCredentialID()).orElseThrow();
    }

    /** The options for {@code navigator.credentials.get()}: any of this site's passkeys may answer. */
    public String signInOptions(RoutingContext context) {
        newChallenge(context);
        String options = webAuthn.toJsonString(await(webAuthn.getLoginChallenge(null, context)));
        guardChallengeCookie(context);
        return options;
    }

    /** Verifies the authenticator's assertion; the account it signs in to. */
    public Account signIn(JsonObject response, RoutingContext context) {
        WebAuthnCredentialRecord verified = verified(webAuthn.login(response, context), response);
        UUID accountId = store.find(verified.getCredentialID()).map(PasskeyStore.Passkey::accountId).orElseThrow(Passkeys::refused);
        Account account = accounts.find(accountId).filter(found -> found.disabledAt() == null)
                .orElseThrow(() -> Rejection.forbidden("This account is disabled. Ask the operators of this service."));
        QuarkusTransaction.requiringNew().run(() -> {
            // Only forward: a counter that did not go up is a cloned authenticator, or an answer raced in twice.
            if (!store.used(verified.getCredentialID(), verified.getCounter(), clock.instant())) {
                throw refused();
            }
            audit.record(AuditEvent.Type.SIGN_IN_SUCCEEDED, AuditEvent.Actor.person(accountId), accountId, null, Map.of("method", "passkey"));
        });
        return account;
    }

    /** Removes one of the person's passkeys; false when it is not theirs. */
    public boolean remove(UUID accountId, String credentialId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            boolean removed = store.remove(accountId, credentialId);
            if (removed) {
                audit.record(AuditEvent.Type.PASSKEY_REMOVED, AuditEvent.Actor.person(accountId), accountId, null, Map.of());
            }
            return removed;
        });
    }

    /** An account's password was reset (it may have been taken over): its passkeys go with the old password. */
    void forgetPasskeys(@Observes Passwords.Recovered recovered) {
        int removed = store.removeAll(recovered.accountId());
        if (removed > 0) {
            audit.record(AuditEvent.Type.PASSKEY_REMOVED, AuditEvent.Actor.person(recovered.accountId()), recovered.accountId(), null,
                    Map.of("reason", "password reset", "passkeys", removed));
        }
    }

    /**
     * What the extension verified, once: its challenge is then used up on every node. Otherwise a refusal that
     * says nothing of why (the why goes to the log).
     */
    private WebAuthnCredentialRecord verified(Uni<WebAuthnCredentialRecord> verification, JsonObject response) {
        WebAuthnCredentialRecord verified;
        try {
            verified = await(verification);
        } catch (RuntimeException refused) {
            if (dev.gatehouse.outcome.StoreUnavailable.causedBy(refused)) {
                throw refused;
            }
            LOG.infof("Passkey refused: %s", refused.getMessage());
            throw refused();
        }
        // check_challenge_once: verified, the challenge was the cookie's; counted, it verifies nothing again.
        if (hotState.count("passkey-challenge:" + challengeOf(response), USED_CHALLENGES).count() != 1) {
            LOG.info("Passkey refused: its challenge was used already");
            throw refused();
        }
        return verified;
    }

    private static Rejection refused() {
        return Rejection.invalid("The passkey could not be verified. Try again.");
    }

    /** The challenge the authenticator signed, from its client data (W3C WebAuthn §5.8.1). */
    private static String challengeOf(JsonObject response) {
        JsonObject clientData = new JsonObject(new String(java.util.Base64.getUrlDecoder()
                .decode(response.getJsonObject("response").getString("clientDataJSON")), java.nio.charset.StandardCharsets.UTF_8));
        return clientData.getString("challenge");
    }

    /**
     * The extension reuses the challenge a request's cookie carries, and saves it again with a new expiry: so a
     * captured cookie could be kept alive for ever. Forgotten here, the challenge is new at each request.
     */
    private void newChallenge(RoutingContext context) {
        context.response().removeCookie(challengeCookie, false);
    }

    /**
     * The extension sets its challenge cookie readable by scripts, and Secure only when this hop is TLS (never behind
     * a proxy that ends TLS). No script needs it: HttpOnly, and Secure but on plain localhost, as Gatehouse's own.
     */
    private void guardChallengeCookie(RoutingContext context) {
        io.vertx.core.http.Cookie cookie = context.request().getCookie(challengeCookie);
        if (cookie != null) {
            cookie.setHttpOnly(true).setSecure(!dev.gatehouse.web.RequestOrigin.isPlainLocalhost(context.request()));
        }
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(VERIFY_WITHIN);
    }
}
