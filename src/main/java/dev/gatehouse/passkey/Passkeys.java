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
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Passkeys, a second way in (issue 12 §2): a signed-in person registers one from their security page; anyone then
 * signs in with it from the sign-in page, without typing an email (the passkey is discoverable and names the
 * account). Quarkus' WebAuthn extension makes the challenges (in a cookie it encrypts) and verifies what the
 * authenticator signed (webauthn4j: origin, relying party, challenge, user verification, signature, counter);
 * Gatehouse keeps the credentials ({@link PasskeyStore}) and starts its own session. A password reset removes
 * every passkey: the account may have been someone else's until then.
 */
@ApplicationScoped
public class Passkeys {
    private static final Logger LOG = Logger.getLogger(Passkeys.class);
    /** Enough for every device a person owns; a stolen session cannot pile up more. */
    static final int MAX_PER_ACCOUNT = 20;
    private static final Duration VERIFY_WITHIN = Duration.ofSeconds(10);

    private final WebAuthnSecurity webAuthn;
    private final PasskeyStore store;
    private final Accounts accounts;
    private final AuditLog audit;
    private final Outbox outbox;
    private final Clock clock;
    private final String issuer;

    Passkeys(WebAuthnSecurity webAuthn, PasskeyStore store, Accounts accounts, AuditLog audit, Outbox outbox, Clock clock,
            ServerConfig server) {
        this.webAuthn = webAuthn;
        this.store = store;
        this.accounts = accounts;
        this.audit = audit;
        this.outbox = outbox;
        this.clock = clock;
        this.issuer = server.issuer().toString().replaceAll("/$", "");
    }

    /** The options for {@code navigator.credentials.create()}, as JSON; the challenge goes in a cookie on {@code context}. */
    public String registrationOptions(SignedIn person, RoutingContext context) {
        if (store.of(person.accountId()).size() >= MAX_PER_ACCOUNT) {
            throw Rejection.conflict("You have " + MAX_PER_ACCOUNT + " passkeys already: remove one first");
        }
        return webAuthn.toJsonString(await(webAuthn.getRegisterChallenge(person.accountId().toString(), person.email(), context)));
    }

    /** Verifies what the authenticator made and keeps it for the person; the owner is mailed. */
    public PasskeyStore.Passkey register(SignedIn person, JsonObject response, String label, RoutingContext context) {
        String name = label == null || label.isBlank() ? "Passkey" : label.strip();
        if (name.length() > 60 || name.chars().anyMatch(Character::isISOControl)) {
            throw Rejection.invalid("A passkey's name is at most 60 characters, without control characters");
        }
        WebAuthnCredentialRecord verified = verified(webAuthn.register(person.accountId().toString(), response, context));
        boolean added = QuarkusTransaction.requiringNew().call(() -> {
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
        return webAuthn.toJsonString(await(webAuthn.getLoginChallenge(null, context)));
    }

    /** Verifies the authenticator's assertion; the account it signs in to. */
    public Account signIn(JsonObject response, RoutingContext context) {
        WebAuthnCredentialRecord verified = verified(webAuthn.login(response, context));
        UUID accountId = UUID.fromString(verified.getUsername());
        Account account = accounts.find(accountId).filter(found -> found.disabledAt() == null)
                .orElseThrow(() -> Rejection.forbidden("This account is disabled. Ask the operators of this service."));
        QuarkusTransaction.requiringNew().run(() -> {
            store.used(verified.getCredentialID(), verified.getCounter(), clock.instant());
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

    /** What the extension verified, or a refusal that says nothing of why: the why goes to the log. */
    private static WebAuthnCredentialRecord verified(Uni<WebAuthnCredentialRecord> verification) {
        try {
            return await(verification);
        } catch (RuntimeException refused) {
            if (dev.gatehouse.outcome.StoreUnavailable.causedBy(refused)) {
                throw refused;
            }
            LOG.infof("Passkey refused: %s", refused.getMessage());
            throw Rejection.invalid("The passkey could not be verified. Try again.");
        }
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(VERIFY_WITHIN);
    }
}
