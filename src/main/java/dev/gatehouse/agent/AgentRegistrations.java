package dev.gatehouse.agent;

import dev.gatehouse.db.Sql;

import dev.gatehouse.account.Account;
import dev.gatehouse.account.Accounts;
import dev.gatehouse.api.ApiConfig;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.mail.Outbox;
import dev.gatehouse.oauth.Resources;
import dev.gatehouse.pat.ApiKeyFormat;
import dev.gatehouse.scope.ScopeCatalogue;
import dev.gatehouse.token.Environment;
import dev.gatehouse.token.NewToken;
import dev.gatehouse.token.SecretGenerator;
import dev.gatehouse.token.TokenHash;
import dev.gatehouse.token.TokenKind;
import dev.gatehouse.token.TokenRecord;
import dev.gatehouse.token.TokenStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Anonymous agent registration and its claim ceremony (auth.md v0.1, specs.md §1.2–§1.3): the agent gets a
 * working key at the pre-claim scopes and a claim token; a person follows the emailed link, sees a
 * one-time code, and the agent completes the claim with it, which binds the same key to the person's
 * account with the post-claim scopes. Claim tokens, link tokens and codes are kept only as hashes.
 */
@ApplicationScoped
public class AgentRegistrations {
    private static final Logger LOG = Logger.getLogger(AgentRegistrations.class);
    static final String ANONYMOUS = "anonymous";
    static final String EMAIL_VERIFICATION = "email-verification";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TokenStore store;
    private final ApiKeyFormat format;
    private final SecretGenerator secrets;
    private final Accounts accounts;
    private final Outbox outbox;
    private final Resources resources;
    private final AgentConfig config;
    private final List<String> preClaimScopes;
    private final List<String> postClaimScopes;

    private final AuditLog audit;
    private final ClaimThrottle throttle;

    private final Sql sql;

    AgentRegistrations(TokenStore store, ApiKeyFormat format, SecretGenerator secrets, Accounts accounts, Outbox outbox,
            Resources resources, AgentConfig config, ScopeCatalogue catalogue, ApiConfig api, AuditLog audit,
            ClaimThrottle throttle, Sql sql) {
        this.sql = sql;
        this.audit = audit;
        this.throttle = throttle;
        this.store = store;
        this.format = format;
        this.secrets = secrets;
        this.accounts = accounts;
        this.outbox = outbox;
        this.resources = resources;
        this.config = config;
        this.preClaimScopes = config.preClaimScopes().orElse(List.of(api.meScope()));
        this.postClaimScopes = config.postClaimScopes().orElse(List.copyOf(catalogue.describe().keySet()));
        for (String scope : postClaimScopes) {
            if (!catalogue.contains(scope)) {
                throw new IllegalStateException("gatehouse.agent.post-claim-scopes: " + scope + " is not in the catalogue");
            }
        }
        if (!postClaimScopes.containsAll(preClaimScopes)) {
            throw new IllegalStateException("gatehouse.agent.pre-claim-scopes must be among the post-claim scopes");
        }
    }

    public List<String> preClaimScopes() {
        return preClaimScopes;
    }

    public List<String> postClaimScopes() {
        return postClaimScopes;
    }

    /** Anonymous start: a key usable at once at the pre-claim scopes, and a claim token, each shown once. */
    public Map<String, Object> registerAnonymous() {
        if (!config.anonymous().enabled()) {
            throw new AgentError(400, "anonymous_not_enabled", "This service does not register anonymous agents");
        }
        String registrationId = newRegistrationId();
        ApiKeyFormat.MintedKey key = format.mint(Environment.LIVE);
        String claimToken = "clm_" + secrets.opaque();
        Instant claimExpires = store.now().plus(config.claimTokenLifetime()).truncatedTo(ChronoUnit.MICROS);
        QuarkusTransaction.requiringNew().run(() -> {
            TokenRecord credential = issueAgentKey(key, null, "Agent " + registrationId, preClaimScopes);
            AgentRegistrationRow registration = new AgentRegistrationRow();
            registration.id = registrationId;
            registration.registrationType = ANONYMOUS;
            registration.credentialId = credential.id();
            registration.claimTokenHash = TokenHash.of(claimToken).bytes();
            registration.claimExpiresAt = claimExpires;
            registration.createdAt = store.now().truncatedTo(ChronoUnit.MICROS);
            registration.insert(sql);
        });
        LOG.infof("Agent registered anonymously: %s, key %s", registrationId, key.displayPrefix());
        audit.record(AuditEvent.Type.AGENT_REGISTERED, AuditEvent.Actor.ANONYMOUS, null, registrationId.toString(),
                Map.of("type", "anonymous", "key", key.displayPrefix()));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("registration_id", registrationId);
        answer.put("registration_type", ANONYMOUS);
        answer.put("credential_type", "api_key");
        answer.put("credential", key.plaintext());
        answer.put("credential_expires", null);
        answer.put("scopes", preClaimScopes);
        answer.put("claim_url", resources.endpoint("/agent/auth/claim"));
        answer.put("claim_token", claimToken);
        answer.put("claim_token_expires", claimExpires.toString());
        answer.put("post_claim_scopes", postClaimScopes);
        return answer;
    }

    /**
     * Agent verified (specs.md §1.2): the provider vouches for a person with a verified email; the person's
     * account is found by that email or made, and a key at the post-claim scopes comes back at once. The
     * registration id is stable per (iss, sub, aud), and {@code agent_provider_credential} remembers the key's iss and
     * sub so the provider can revoke it.
     */
    public Map<String, Object> registerVerified(IdJagVerifier.Assertion assertion) {
        if (assertion.email() == null || !assertion.emailVerified()) {
            throw new AgentError(400, "missing_verified_email", "The assertion carries no verified email");
        }
        String registrationId = "reg_" + TokenHash.of(assertion.issuer() + "|" + assertion.subject() + "|" + resources.issuer())
                .hex().substring(0, 22);
        List<String> scopes = assertion.scopes().isEmpty() ? postClaimScopes
                : assertion.scopes().stream().filter(postClaimScopes::contains).toList();
        if (scopes.isEmpty()) {
            throw AgentError.invalidRequest("None of the asserted scopes is available to agents here");
        }
        Account account = accounts.findByEmail(assertion.email())
                .orElseGet(() -> accounts.signUp(assertion.email(), secrets.opaque()));
        ApiKeyFormat.MintedKey key = format.mint(Environment.LIVE);
        QuarkusTransaction.joiningExisting().run(() -> {
            TokenRecord credential = issueAgentKey(key, account.id(), "Agent via " + assertion.issuer(), scopes);
            // For the provider's logout token: every key issued for this (iss, sub) goes with it.
            sql.update("insert into agent_provider_credential (token_id, issuer, subject) values (?, ?, ?)", credential.id(),
                    assertion.issuer(), assertion.subject());
        });
        LOG.infof("Agent registered by provider %s: %s, key %s", assertion.issuer(), registrationId, key.displayPrefix());
        audit.record(AuditEvent.Type.AGENT_REGISTERED, AuditEvent.Actor.ANONYMOUS, account.id(), registrationId.toString(),
                Map.of("type", "provider", "issuer", assertion.issuer(), "key", key.displayPrefix()));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("registration_id", registrationId);
        answer.put("registration_type", "agent-provider");
        answer.put("credential_type", "api_key");
        answer.put("credential", key.plaintext());
        answer.put("credential_expires", null);
        answer.put("scopes", scopes);
        return answer;
    }

    /**
     * Email required (specs.md §1.2): no credential yet. The person is mailed a one-time code at once; when
     * the agent completes the claim with it, the key is made on their account (created if new).
     */
    public Map<String, Object> registerByEmail(String rawEmail, String address) {
        if (!emailRegistration()) {
            throw new AgentError(400, "verified_email_not_enabled", outbox.available()
                    ? "This service does not register by verified email"
                    : "This service sends no email, so it does not register by verified email");
        }
        String email = Accounts.normalizeEmail(rawEmail);
        if (!Accounts.looksLikeEmail(email)) {
            throw AgentError.invalidRequest("assertion must be an email address");
        }
        throttle.mailing(email, address);
        String registrationId = newRegistrationId();
        String claimToken = "clm_" + secrets.opaque();
        String code = sixDigits();
        Instant now = store.now().truncatedTo(ChronoUnit.MICROS);
        QuarkusTransaction.requiringNew().run(() -> {
            AgentRegistrationRow registration = new AgentRegistrationRow();
            registration.id = registrationId;
            registration.registrationType = EMAIL_VERIFICATION;
            registration.claimTokenHash = TokenHash.of(claimToken).bytes();
            registration.claimExpiresAt = now.plus(config.claimTokenLifetime());
            registration.email = email;
            registration.otpHash = TokenHash.of(registrationId + ":" + code).bytes();
            registration.otpExpiresAt = now.plus(config.claimLinkLifetime());
            registration.createdAt = now;
            registration.insert(sql);
            // In the registration's transaction: the mail exists exactly when the registration does.
            outbox.enqueue(email, "Your code for an AI agent",
                    "An AI agent registered with " + resources.issuer() + " for this address and asks to act for your account.\n\n"
                            + "If you started this, give the agent this code: " + code + "\n\nIt works for "
                            + config.claimLinkLifetime().toMinutes() + " minutes. If you did not expect this, ignore this message.");
        });
        LOG.infof("Agent registered for email verification: %s", registrationId);
        audit.record(AuditEvent.Type.AGENT_REGISTERED, AuditEvent.Actor.ANONYMOUS, null, registrationId.toString(),
                Map.of("type", "email"));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("registration_id", registrationId);
        answer.put("registration_type", EMAIL_VERIFICATION);
        answer.put("claim_url", resources.endpoint("/agent/auth/claim"));
        answer.put("claim_token", claimToken);
        answer.put("claim_token_expires", now.plus(config.claimTokenLifetime()).toString());
        answer.put("post_claim_scopes", postClaimScopes);
        return answer;
    }

    /** Stores an agent's key (kind {@code agent}, live); {@code accountId} is null until a person claims it. */
    private TokenRecord issueAgentKey(ApiKeyFormat.MintedKey key, java.util.UUID accountId, String label, List<String> scopes) {
        return store.issue(key.plaintext(), NewToken.of(TokenKind.AGENT, accountId)
                .withDisplay(key.displayPrefix(), key.preview())
                .withLabel(label)
                .withScopes(scopes)
                .withEnvironment(Environment.LIVE));
    }

    private String newRegistrationId() {
        return "reg_" + secrets.opaque().substring(0, 22);
    }

    private static String sixDigits() {
        return String.format("%06d", RANDOM.nextInt(1_000_000));
    }

    /** A provider's logout token: every credential issued for that (iss, sub) stops working (specs.md §1.4). */
    public int revokeFor(String issuer, String subject) {
        var revoked = store.revokeAll(sql.list("select token_id from agent_provider_credential where issuer = ? and subject = ?",
                row -> row.getObject("token_id", java.util.UUID.class), issuer, subject));
        revoked.forEach(token -> audit.record(AuditEvent.Type.AGENT_REVOKED, AuditEvent.Actor.client(issuer), token.accountId(),
                token.id().toString(), Map.of("reason", "provider logout", "key", String.valueOf(token.displayPrefix()))));
        return revoked.size();
    }

    /**
     * {@code POST /agent/auth/claim}: emails the person a one-time link. Asking again for the same email
     * while the link is valid changes nothing and sends nothing.
     */
    public Map<String, Object> startClaim(String claimToken, String rawEmail, String address) {
        if (!outbox.available()) {
            throw new AgentError(400, "email_not_available", "This service sends no email, so a claim by email link is not offered");
        }
        String email = Accounts.normalizeEmail(rawEmail);
        if (!Accounts.looksLikeEmail(email)) {
            throw AgentError.invalidRequest("email must be an email address");
        }
        String[] link = new String[1];
        Map<String, Object> answer = QuarkusTransaction.requiringNew().call(() -> {
            AgentRegistrationRow registration = checkClaimToken(claimToken);
            if (registration.claimedAt != null || !ANONYMOUS.equals(registration.registrationType)) {
                throw new AgentError(409, "claimed_or_in_flight", "This registration is already claimed, or its code was already mailed");
            }
            checkNotExpired(registration);
            Instant now = store.now();
            boolean current = email.equals(registration.email) && registration.attemptExpiresAt != null
                    && now.isBefore(registration.attemptExpiresAt);
            if (!current) {
                if (registration.claimMails >= config.claimLimits().mailsPerRegistration()) {
                    throw new AgentError(409, "claim_mail_limit", "This registration has mailed " + registration.claimMails
                            + " claim links, all it may; register again to start over");
                }
                throttle.mailing(email, address);
                registration.claimMails++;
                String attempt = "cv_" + secrets.opaque();
                registration.email = email;
                registration.attemptTokenHash = TokenHash.of(attempt).bytes();
                registration.attemptExpiresAt = now.plus(config.claimLinkLifetime()).truncatedTo(ChronoUnit.MICROS);
                registration.otpHash = null;
                registration.otpExpiresAt = null;
                registration.otpFailures = 0;
                link[0] = resources.endpoint("/agent/auth/claim/view?token=" + attempt);
                // In the claim's transaction: the mail is sent once this commits, when the link already works;
                // with SMTP down the request still succeeds and the mail waits in the outbox.
                outbox.enqueue(email, "An AI agent asks to be linked to your account",
                        "An AI agent registered with " + resources.issuer() + " and asks to act for your account.\n\n"
                                + "If you started this, open the link below, sign up or confirm, and give the agent the code it shows:\n\n"
                                + link[0] + "\n\nThe link works for " + config.claimLinkLifetime().toMinutes()
                                + " minutes. If you did not expect this, ignore this message; nothing happens without the code.");
                registration.update(sql);
            }
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("registration_id", registration.id);
            status.put("status", "initiated");
            status.put("expires_at", registration.attemptExpiresAt.toString());
            return status;
        });
        if (link[0] != null) {
            LOG.infof("Claim link for %s queued", answer.get("registration_id"));
        }
        return answer;
    }

    /** What the person's page shows about the registration the link names. */
    public record Attempt(String registrationId, String email, boolean accountExists) {
    }

    /** The registration a link names, if the link is live. */
    public Attempt attempt(String attemptToken) {
        return QuarkusTransaction.requiringNew().call(() -> {
            AgentRegistrationRow registration = checkAttempt(attemptToken);
            return new Attempt(registration.id, registration.email, accounts.findByEmail(registration.email).isPresent());
        });
    }

    /**
     * The person asks for the code: a new account is made if the email has none (with the password given
     * here), and a fresh six-digit code replaces any earlier one. Minting needs a POST, so a link preview
     * that merely fetches the page never burns a code.
     */
    public String showCode(String attemptToken, String newPassword) {
        return QuarkusTransaction.requiringNew().call(() -> {
            AgentRegistrationRow registration = checkAttempt(attemptToken);
            if (accounts.findByEmail(registration.email).isEmpty()) {
                accounts.signUp(registration.email, newPassword);
            }
            String code = sixDigits();
            registration.otpHash = TokenHash.of(registration.id + ":" + code).bytes();
            registration.otpExpiresAt = registration.attemptExpiresAt;
            registration.otpFailures = 0;
            registration.update(sql);
            return code;
        });
    }

    /**
     * {@code POST /agent/auth/claim/complete}: with the right code, the agent's key moves to the person's
     * account and gets the post-claim scopes, in place. Checked in auth.md's order: previously claimed,
     * claim expired, no code yet, code expired, wrong code.
     */
    public Map<String, Object> complete(String claimToken, String otp, String address) {
        if (otp == null || !otp.matches("\\d{6}")) {
            throw AgentError.invalidRequest("otp must be the six-digit code the person was shown");
        }
        Outcome outcome = QuarkusTransaction.requiringNew().call(() -> {
            AgentRegistrationRow registration = checkClaimToken(claimToken);
            if (registration.claimedAt != null) {
                throw new AgentError(409, "previously_claimed", "This registration was already claimed");
            }
            checkNotExpired(registration);
            if (registration.otpHash == null) {
                throw new AgentError(400, "otp_not_generated", "The person has not asked for a code yet");
            }
            if (!store.now().isBefore(registration.otpExpiresAt)) {
                throw new AgentError(410, "otp_expired", "The code expired; the person can ask for a new one");
            }
            throttle.guessing(registration.email, address);
            if (!MessageDigest.isEqual(registration.otpHash, TokenHash.of(registration.id + ":" + otp).bytes())) {
                registration.otpFailures++;
                if (registration.otpFailures >= config.otpMaxFailures()) {
                    registration.otpHash = null; // too many guesses: the person must show a new code
                }
                registration.update(sql);
                return new Outcome(null, registration.otpFailures >= config.otpMaxFailures(), null);
            }
            throttle.guessedRight(registration.email, address);
            // Anonymous registrations made the account on the claim page; email ones may meet a new person here.
            Account account = accounts.findByEmail(registration.email)
                    .orElseGet(() -> accounts.signUp(registration.email, secrets.opaque()));
            registration.accountId = account.id();
            registration.claimedAt = store.now().truncatedTo(ChronoUnit.MICROS);
            registration.otpHash = null;
            if (registration.credentialId == null) {
                ApiKeyFormat.MintedKey key = format.mint(Environment.LIVE);
                TokenRecord credential = issueAgentKey(key, account.id(), "Agent " + registration.id, postClaimScopes);
                registration.credentialId = credential.id();
                registration.update(sql);
                claimed(registration.id, account.id());
                return new Outcome(registration.id, false, key.plaintext());
            }
            registration.update(sql);
            store.claim(registration.credentialId, account.id(), postClaimScopes, "Agent " + registration.id);
            claimed(registration.id, account.id());
            return new Outcome(registration.id, false, null);
        });
        if (outcome.registrationId() == null) {
            throw new AgentError(401, "otp_invalid", outcome.exhausted()
                    ? "Wrong code, too many times: the person must show a new code"
                    : "Wrong code");
        }
        LOG.infof("Agent registration %s claimed", outcome.registrationId());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("registration_id", outcome.registrationId());
        answer.put("status", "claimed");
        if (outcome.credential() != null) {
            // Email required: this answer is where the credential appears, once.
            answer.put("credential_type", "api_key");
            answer.put("credential", outcome.credential());
            answer.put("credential_expires", null);
        }
        answer.put("scopes", postClaimScopes);
        return answer;
    }

    /** A registration whose claim was mailed to a person and is still open: their /account/agents page lists it. */
    public record Waiting(String id, Instant createdAt, Instant claimExpiresAt) {
    }

    /**
     * The open claims mailed to {@code email} (the signed-in person's own address), newest first. The link to
     * finish one is in the mail only: it is stored as a hash.
     */
    public List<Waiting> waitingFor(String email) {
        return sql.list("select id, created_at, claim_expires_at from agent_registration where email = ? and claimed_at is null"
                + " and claim_expires_at > ? order by created_at desc", row -> new Waiting(row.getString("id"),
                        Sql.instant(row, "created_at"), Sql.instant(row, "claim_expires_at")), Accounts.normalizeEmail(email), store.now());
    }

    /** Registration by verified email: configured on, and mail can be sent. */
    public boolean emailRegistration() {
        return config.verifiedEmail().enabled() && outbox.available();
    }

    /** Recorded in the claim's own transaction: the person whose account the agent now acts for sees it. */
    private void claimed(String registrationId, UUID accountId) {
        audit.record(AuditEvent.Type.AGENT_CLAIMED, AuditEvent.Actor.person(accountId), accountId, registrationId, Map.of());
    }

    private record Outcome(String registrationId, boolean exhausted, String credential) {
        @Override
        public String toString() {
            return "Outcome[" + registrationId + "]";
        }
    }

    private AgentRegistrationRow checkClaimToken(String claimToken) {
        if (claimToken == null || !claimToken.startsWith("clm_")) {
            throw new AgentError(401, "invalid_claim_token", "Unknown claim token");
        }
        return sql.one("select " + AgentRegistrationRow.COLUMNS + " from agent_registration where claim_token_hash = ? for update",
                        AgentRegistrationRow::read, (Object) TokenHash.of(claimToken).bytes())
                .orElseThrow(() -> new AgentError(401, "invalid_claim_token", "Unknown claim token"));
    }

    private void checkNotExpired(AgentRegistrationRow registration) {
        if (!store.now().isBefore(registration.claimExpiresAt)) {
            // An unclaimed registration past its time loses its key too (an email registration has none yet).
            if (registration.credentialId != null) {
                store.findById(registration.credentialId).ifPresent(store::revoke);
            }
            throw new AgentError(410, "claim_expired", "This registration can no longer be claimed");
        }
    }

    private AgentRegistrationRow checkAttempt(String attemptToken) {
        Optional<AgentRegistrationRow> found = attemptToken == null || !attemptToken.startsWith("cv_")
                ? Optional.empty()
                : sql.one("select " + AgentRegistrationRow.COLUMNS + " from agent_registration where attempt_token_hash = ? for update",
                        AgentRegistrationRow::read, (Object) TokenHash.of(attemptToken).bytes());
        AgentRegistrationRow registration = found
                .orElseThrow(() -> new AgentError(404, "invalid_claim_link", "This link is not valid, or a newer one replaced it"));
        if (registration.claimedAt != null) {
            throw new AgentError(409, "claim_completed", "This agent is already linked to the account");
        }
        if (!store.now().isBefore(registration.attemptExpiresAt)) {
            throw new AgentError(410, "claim_expired", "This link expired; the agent can ask for a new one");
        }
        return registration;
    }
}
