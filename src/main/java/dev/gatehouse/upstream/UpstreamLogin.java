package dev.gatehouse.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.gatehouse.account.Account;
import dev.gatehouse.account.Accounts;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.keys.SealedValues;
import dev.gatehouse.state.AttemptLimits;
import dev.gatehouse.state.WindowCounters;
import dev.gatehouse.token.NewToken;
import dev.gatehouse.token.SecretGenerator;
import dev.gatehouse.token.TokenKind;
import dev.gatehouse.token.TokenRecord;
import dev.gatehouse.web.ServerConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Sign-in through an upstream provider, as a relying party (OpenID Connect Core §3.1, with PKCE and RFC
 * 9207): the authorization request with {@code state}, {@code nonce} and an S256 challenge, all kept in a
 * cookie sealed for this purpose (so any node can finish what another began); then the code exchanged, the
 * ID token verified with nimbus against the provider's keys, and the person resolved:
 * <ol>
 * <li>an identity linked before signs its account in;</li>
 * <li>a verified email nobody has makes the account and links it;</li>
 * <li>a verified email an account has is linked only once the person confirms with that account's password
 * ({@link #confirmLink}) or with a link mailed to that address, opened in the same browser
 * ({@link #mailLink}, {@link #confirmMailedLink}): never silently;</li>
 * <li>an email the provider did not verify (or does not say it did) signs nobody in.</li>
 * </ol>
 * A person already signed in may link a provider to their account from their security page.
 */
@ApplicationScoped
public class UpstreamLogin {
    private static final Logger LOG = Logger.getLogger(UpstreamLogin.class);
    private static final String STATE_PURPOSE = "upstream-login";
    private static final String LINK_PURPOSE = "upstream-link";
    /** The emailed confirmation's secret starts so: a secret scanner, or a person, can tell what it is. */
    public static final String LINK_MAIL_PREFIX = "ul_";

    /** Where to send the browser, and the sealed state its return must bring back. */
    public record Begun(URI authorizationRequest, String sealedState) {
    }

    /** What came of the provider's answer. */
    public sealed interface Result {
        /** Signed in (a linked identity, or a new account); {@code returnTo}: where the sign-in began, a local path. */
        record SignedIn(Account account, String returnTo) implements Result {
        }

        /** The signed-in person linked the provider to their account. */
        record Linked(String provider) implements Result {
        }

        /** An account has the verified email: its password must confirm the link first. */
        record ConfirmLink(String sealedPending, String email, String provider) implements Result {
        }

        /** The confirmation link went to the account's address; the browser keeps the re-sealed pending link. */
        record LinkMailed(String sealedPending, String email) implements Result {
        }

        /** Refused, with what to tell the person; nothing was created or linked. */
        record Refused(int status, String message) implements Result {
        }
    }

    private final UpstreamProviders providers;
    private final UpstreamIdentities identities;
    private final Accounts accounts;
    private final SealedValues sealed;
    private final SecretGenerator secrets;
    private final AuditLog audit;
    private final UpstreamConfig config;
    private final Clock clock;
    private final AttemptLimits linkLimits;
    private final dev.gatehouse.token.TokenStore tokens;
    private final dev.gatehouse.mail.Outbox outbox;
    private final String gatehouse;

    UpstreamLogin(UpstreamProviders providers, UpstreamIdentities identities, Accounts accounts, SealedValues sealed,
            SecretGenerator secrets, AuditLog audit, UpstreamConfig config, Clock clock, WindowCounters counters, ServerConfig server,
            dev.gatehouse.mail.Outbox outbox, dev.gatehouse.token.TokenStore tokens) {
        this.outbox = outbox;
        this.tokens = tokens;
        this.providers = providers;
        this.identities = identities;
        this.accounts = accounts;
        this.sealed = sealed;
        this.secrets = secrets;
        this.audit = audit;
        this.config = config;
        this.clock = clock;
        this.linkLimits = new AttemptLimits(counters, clock, config.linkWindow());
        this.gatehouse = server.issuer().toString().replaceAll("/$", "");
    }

    String redirectUri(String name) {
        return gatehouse + "/login/upstream/" + name + "/callback";
    }

    /**
     * The authorization request to {@code name}; {@code linkFor}: the signed-in person linking it, else null;
     * {@code returnTo}: the local path to go on to once signed in (an authorization request waiting, say).
     */
    public Begun begin(String name, String returnTo) {
        return begin(name, null, dev.gatehouse.web.RequestOrigin.safeReturnPath(returnTo, DEFAULT_RETURN));
    }

    static final String DEFAULT_RETURN = "/account/api-tokens";

    private Begun begin(String name, UUID linkFor, String returnTo) {
        UpstreamProviders.Provider provider = providers.provider(name);
        String state = secrets.opaque();
        String nonce = secrets.opaque();
        String verifier = secrets.opaque();
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", provider.config().clientId());
        query.put("redirect_uri", redirectUri(name));
        query.put("scope", String.join(" ", provider.scopes()));
        query.put("state", state);
        query.put("nonce", nonce);
        query.put("code_challenge", dev.gatehouse.oauth.Pkce.s256(verifier));
        query.put("code_challenge_method", "S256");
        StringBuilder url = new StringBuilder(provider.authorizationEndpoint().toString())
                .append(provider.authorizationEndpoint().getRawQuery() == null ? '?' : '&');
        query.forEach((key, value) -> url.append(key).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8)).append('&'));
        url.setLength(url.length() - 1);
        JsonObject fields = new JsonObject().put("provider", name).put("state", state).put("nonce", nonce).put("verifier", verifier)
                .put("return", returnTo);
        if (linkFor != null) {
            fields.put("link", linkFor.toString());
        }
        return new Begun(URI.create(url.toString()), sealed.seal(STATE_PURPOSE, fields, clock.instant().plus(config.loginLifetime())));
    }

    /**
     * The provider's answer on the redirect URI. {@code signedIn}: the account of the session the browser has
     * now, if any (a link must finish in the session that began it).
     */
    public Result finish(String name, Map<String, String> answer, String sealedState, UUID signedIn) {
        JsonObject begun = sealed.open(STATE_PURPOSE, sealedState).orElse(null);
        // check_state: the answer belongs to a request this browser made, here, lately (RFC 6749 §10.12).
        if (begun == null || !name.equals(begun.getString("provider")) || !constantEquals(begun.getString("state"), answer.get("state"))) {
            return new Result.Refused(400, "This sign-in was not started here, or took too long. Start it again.");
        }
        UpstreamProviders.Provider provider = providers.provider(name);
        // check_iss (RFC 9207): a provider that sends iss must send its own; one that says it does must send it.
        String iss = answer.get("iss");
        if (iss != null ? !iss.equals(provider.issuer()) : provider.sendsIss()) {
            return new Result.Refused(400, "The answer did not come from " + provider.displayName() + ". Start again.");
        }
        if (answer.get("error") != null) {
            return new Result.Refused(400, provider.displayName() + " did not sign you in (" + printable(answer.get("error")) + ").");
        }
        String code = answer.get("code");
        if (code == null || code.isBlank() || code.length() > 4096) {
            return new Result.Refused(400, provider.displayName() + " sent no code. Start again.");
        }
        Identity identity;
        try {
            identity = identify(provider, code, begun.getString("verifier"), begun.getString("nonce"));
        } catch (UpstreamProviders.Refused | BadIdToken e) {
            LOG.infof("Upstream sign-in through %s refused: %s", name, e.getMessage());
            return new Result.Refused(400, provider.displayName() + " could not confirm who you are. Start again.");
        }
        String linkFor = begun.getString("link");
        if (linkFor != null) {
            return linkSignedIn(provider, identity, UUID.fromString(linkFor), signedIn);
        }
        return resolve(provider, identity, dev.gatehouse.web.RequestOrigin.safeReturnPath(begun.getString("return"), DEFAULT_RETURN));
    }

    /** The pending link's password: right, and the identity is linked and the account signed in. */
    public Result confirmLink(String sealedPending, String password) {
        JsonObject pending = sealed.open(LINK_PURPOSE, sealedPending).orElse(null);
        if (pending == null) {
            return EXPIRED;
        }
        UUID accountId = UUID.fromString(pending.getString("account"));
        linkLimits.require(List.of(new AttemptLimits.Limit("upstream-link:" + accountId, config.linkAttempts())),
                "Too many attempts; try again later");
        Optional<Account> account = accounts.authenticate(pending.getString("email"), password)
                .filter(found -> found.id().equals(accountId) && found.disabledAt() == null);
        if (account.isEmpty()) {
            return new Result.Refused(401, "That is not the password of " + pending.getString("email") + ".");
        }
        boolean linked = QuarkusTransaction.requiringNew().call(() -> link(pending.getString("provider"), pendingIdentity(pending), accountId));
        return linked ? linkedAndSignedIn(account.get(), pending) : LINKED_ELSEWHERE;
    }

    private static final Result LINKED_ELSEWHERE = new Result.Refused(409, "This sign-in is linked to another account already.");

    /** Whether a link can be confirmed by mail here: it needs the outbox. */
    public boolean mailsLinks() {
        return outbox.available();
    }

    /**
     * Instead of the password, a link to the account's address confirms the pending link: a
     * {@link TokenKind#UPSTREAM_LINK} token of the one store (its hash only; once; only the newest of this
     * pending link works). The pending link, re-sealed, names that token, so the mailed link works only in this
     * browser: whoever else signed in at a provider with this address cannot have the account's owner finish the
     * link for them by clicking a mail. Asked for while the pending link is young ({@code login-lifetime}), it
     * stretches it by {@code link-mail-lifetime} once, not again; limited per identity and per account, and
     * refused when nothing could come of it (the account disabled, the identity linked to another).
     */
    public Result mailLink(String sealedPending) {
        JsonObject pending = sealed.open(LINK_PURPOSE, sealedPending).orElse(null);
        if (pending == null) {
            return EXPIRED;
        }
        if (!outbox.available()) {
            return new Result.Refused(503, "Mail cannot be sent from here. Confirm with the password instead.");
        }
        Instant born = Instant.ofEpochSecond(pending.getLong("born", 0L));
        if (!clock.instant().isBefore(born.plus(config.loginLifetime()))) {
            return EXPIRED;
        }
        UUID accountId = UUID.fromString(pending.getString("account"));
        if (accounts.find(accountId).filter(account -> account.disabledAt() == null).isEmpty()) {
            return new Result.Refused(403, "This account is disabled.");
        }
        if (identities.find(pending.getString("issuer"), pending.getString("subject")).isPresent()) {
            return LINKED_ELSEWHERE;
        }
        // Per identity, so a stranger's sign-ins cannot use up the owner's own mails; per account, so many
        // identities cannot flood the inbox.
        String identity = dev.gatehouse.token.TokenHash.of(pending.getString("issuer") + "\n" + pending.getString("subject")).hex();
        linkLimits.require(List.of(new AttemptLimits.Limit("upstream-link-mails:" + accountId + ":" + identity, config.linkMails()),
                new AttemptLimits.Limit("upstream-link-mails:" + accountId, config.linkMailsPerAccount())),
                "Too many links mailed; try again later");
        String secret = LINK_MAIL_PREFIX + secrets.opaque();
        Instant until = born.plus(config.loginLifetime()).plus(config.linkMailLifetime());
        String email = pending.getString("email");
        String previous = pending.getString("mailed");
        UUID mailed = QuarkusTransaction.requiringNew().call(() -> {
            if (previous != null) {
                tokens.revokeOwned(accountId, TokenKind.UPSTREAM_LINK, UUID.fromString(previous)); // the newest mail only
            }
            TokenRecord token = tokens.issue(secret, NewToken.of(TokenKind.UPSTREAM_LINK, accountId).expiringAt(until));
            String provider = providers.displayName(pending.getString("provider"));
            outbox.enqueue(email, "Link " + provider + " to your account?",
                    "Someone, perhaps you, signed in with " + provider + " as " + email + " and asked to link that sign-in to your account at "
                            + gatehouse + ".\n\nTo link it, open this link in the same browser:\n\n" + gatehouse
                            + "/login/upstream/link/confirm?token=" + secret + "\n\nIt works once, until "
                            + until.truncatedTo(java.time.temporal.ChronoUnit.MINUTES) + ". If it was not you, ignore this message:"
                            + " nothing is linked.");
            audit.record(AuditEvent.Type.UPSTREAM_LINK_MAILED, AuditEvent.Actor.ANONYMOUS, accountId, null,
                    Map.of("provider", pending.getString("provider")));
            return token.id();
        });
        pending.put("mailed", mailed.toString());
        return new Result.LinkMailed(sealed.seal(LINK_PURPOSE, pending, until), email);
    }

    /** Whether a mailed link still works in this browser: the page it opens says so before anything is sent. */
    public boolean mailedLinkWorks(String sealedPending, String secret) {
        return sealed.open(LINK_PURPOSE, sealedPending).flatMap(pending -> mailedLink(pending, secret)).isPresent();
    }

    /** The mailed link, used: the identity is linked and the account signed in. */
    public Result confirmMailedLink(String sealedPending, String secret) {
        JsonObject pending = sealed.open(LINK_PURPOSE, sealedPending).orElse(null);
        if (pending == null) {
            return new Result.Refused(400, "Open the link in the browser where you signed in with the provider, within "
                    + config.linkMailLifetime().toMinutes() + " minutes. Or sign in through the provider again.");
        }
        TokenRecord token = mailedLink(pending, secret).orElse(null);
        if (token == null) {
            return MAILED_LINK_GONE;
        }
        UUID accountId = token.accountId();
        Optional<Account> account = accounts.find(accountId).filter(found -> found.disabledAt() == null);
        if (account.isEmpty()) {
            return MAILED_LINK_GONE;
        }
        Boolean linked = QuarkusTransaction.requiringNew().call(() -> {
            if (!tokens.consume(token)) {
                return null; // another tab used it first
            }
            return link(pending.getString("provider"), pendingIdentity(pending), accountId);
        });
        if (linked == null) {
            return MAILED_LINK_GONE;
        }
        return linked ? linkedAndSignedIn(account.get(), pending) : LINKED_ELSEWHERE;
    }

    static final Result.Refused MAILED_LINK_GONE = new Result.Refused(410,
            "This link expired, was already used, or a newer one was sent: use the newest, or sign in through the provider again.");
    private static final Result EXPIRED = new Result.Refused(400, "This link request expired. Sign in through the provider again.");

    /** check_mailed_link: live, of the kind, for the pending link's account, and the very one mailed for it. */
    private Optional<TokenRecord> mailedLink(JsonObject pending, String secret) {
        if (secret == null || !secret.startsWith(LINK_MAIL_PREFIX) || secret.length() > 200 || pending.getString("mailed") == null) {
            return Optional.empty();
        }
        return tokens.findActive(secret).filter(token -> token.kind() == TokenKind.UPSTREAM_LINK)
                .filter(token -> token.id().toString().equals(pending.getString("mailed")))
                .filter(token -> token.accountId().toString().equals(pending.getString("account")));
    }

    private static Identity pendingIdentity(JsonObject pending) {
        return new Identity(pending.getString("issuer"), pending.getString("subject"), pending.getString("email"), true);
    }

    private static Result linkedAndSignedIn(Account account, JsonObject pending) {
        return new Result.SignedIn(account, dev.gatehouse.web.RequestOrigin.safeReturnPath(pending.getString("return"), DEFAULT_RETURN));
    }

    /** Unlinks one of the person's providers. */
    public boolean unlink(UUID accountId, UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            boolean unlinked = identities.unlink(accountId, id);
            if (unlinked) {
                audit.record(AuditEvent.Type.UPSTREAM_UNLINKED, AuditEvent.Actor.person(accountId), accountId, id.toString(), Map.of());
            }
            return unlinked;
        });
    }

    private Result resolve(UpstreamProviders.Provider provider, Identity identity, String returnTo) {
        Optional<UpstreamIdentities.Linked> known = identities.find(identity.issuer(), identity.subject());
        if (known.isPresent()) {
            Optional<Account> account = accounts.find(known.get().accountId()).filter(found -> found.disabledAt() == null);
            if (account.isEmpty()) {
                return new Result.Refused(403, "This account is disabled.");
            }
            QuarkusTransaction.requiringNew().run(() -> identities.used(known.get().id(), clock.instant()));
            return new Result.SignedIn(account.get(), returnTo);
        }
        if (!identity.emailVerified()) {
            // Never link or create on an email the provider does not vouch for: anyone can type any address there.
            // Operators see it; the account with that address does not: anyone can type anyone's address at a
            // provider, and would otherwise fill that person's security events with these.
            audit.record(AuditEvent.Type.UPSTREAM_LINK_REFUSED, AuditEvent.Actor.ANONYMOUS, null, null,
                    Map.of("provider", provider.name(), "reason", "email not verified"));
            return new Result.Refused(403, provider.displayName() + " did not confirm your email address, so it cannot sign you in here. "
                    + "Sign in with your email and password, then link " + provider.displayName() + " on your security page.");
        }
        Optional<Account> existing = accounts.findByEmail(identity.email());
        if (existing.isPresent()) {
            JsonObject pending = new JsonObject().put("provider", provider.name()).put("issuer", identity.issuer())
                    .put("subject", identity.subject()).put("email", existing.get().email()).put("account", existing.get().id().toString())
                    .put("return", returnTo)
                    // born: what mailing may not extend. A pending link lives loginLifetime, and the
                    // mail asked within it linkMailLifetime after: never longer, however often mail is asked for.
                    .put("born", clock.instant().getEpochSecond());
            return new Result.ConfirmLink(sealed.seal(LINK_PURPOSE, pending, clock.instant().plus(config.loginLifetime())),
                    existing.get().email(), provider.displayName());
        }
        // A first sign-in: the account, with a password nobody knows (a reset sets one), and the link.
        return QuarkusTransaction.requiringNew().call(() -> {
            Account created = accounts.signUp(identity.email(), secrets.opaque());
            link(provider.name(), identity, created.id());
            return new Result.SignedIn(created, returnTo);
        });
    }

    private Result linkSignedIn(UpstreamProviders.Provider provider, Identity identity, UUID linkFor, UUID signedIn) {
        if (!linkFor.equals(signedIn)) {
            return new Result.Refused(400, "Sign in again, then link " + provider.displayName() + " from your security page.");
        }
        Optional<UpstreamIdentities.Linked> known = identities.find(identity.issuer(), identity.subject());
        if (known.isPresent()) {
            return known.get().accountId().equals(linkFor) ? new Result.Linked(provider.displayName())
                    : new Result.Refused(409, "This " + provider.displayName() + " sign-in is linked to another account.");
        }
        boolean linked = QuarkusTransaction.requiringNew().call(() -> link(provider.name(), identity, linkFor));
        return linked ? new Result.Linked(provider.displayName())
                : new Result.Refused(409, "This " + provider.displayName() + " sign-in is linked to another account.");
    }

    private boolean link(String provider, Identity identity, UUID accountId) {
        boolean linked = identities.link(provider, identity.issuer(), identity.subject(), accountId, identity.email(), clock.instant());
        if (linked) {
            audit.record(AuditEvent.Type.UPSTREAM_LINKED, AuditEvent.Actor.person(accountId), accountId, null, Map.of("provider", provider));
            // The owner hears of every new way into their account, whoever made it.
            accounts.find(accountId).ifPresent(account -> outbox.enqueue(account.email(), "A sign-in was linked to your account",
                    "Signing in with " + providers.displayName(provider) + " now opens your account at " + gatehouse + ".\n\n"
                            + "If this was not you, reset your password at " + gatehouse + "/password-reset: that unlinks every provider."));
        }
        return linked;
    }

    /**
     * A signed-in person asks to link a provider: their current password first, as for a password change, so a
     * borrowed session alone cannot add a way into the account. Then the way to the provider.
     */
    public Begun beginLink(String name, UUID accountId, String currentPassword) {
        linkLimits.require(List.of(new AttemptLimits.Limit("upstream-link:" + accountId, config.linkAttempts())),
                "Too many attempts; try again later");
        if (!accounts.hasPassword(accountId, currentPassword)) {
            throw dev.gatehouse.outcome.Rejection.invalid("That is not your current password");
        }
        return begin(name, accountId, "/account/security");
    }

    /** An account's password was reset (it may have been taken over): every provider link goes with the old password. */
    void forgetLinks(@jakarta.enterprise.event.Observes dev.gatehouse.account.Passwords.Recovered recovered) {
        // Links asked for and not yet confirmed by mail go too: they may be the taker's.
        tokens.revokeOwnedExcept(recovered.accountId(), TokenKind.UPSTREAM_LINK, null);
        int unlinked = identities.unlinkAll(recovered.accountId());
        if (unlinked > 0) {
            audit.record(AuditEvent.Type.UPSTREAM_UNLINKED, AuditEvent.Actor.person(recovered.accountId()), recovered.accountId(), null,
                    Map.of("reason", "password reset", "links", unlinked));
        }
    }

    /** Who the provider says the person is. */
    record Identity(String issuer, String subject, String email, boolean emailVerified) {
    }

    private static final class BadIdToken extends Exception {
        BadIdToken(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** check_code, check_id_token: the code exchanged (with the PKCE verifier), the ID token verified, the email read. */
    private Identity identify(UpstreamProviders.Provider provider, String code, String verifier, String nonce) throws BadIdToken {
        if (provider.github()) {
            return identifyAtGitHub(provider, code, verifier);
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri(provider.name()));
        form.put("code_verifier", verifier);
        JsonNode tokens = providers.postForm(provider.tokenEndpoint(), form, basic(provider));
        String idToken = tokens.path("id_token").asText(null);
        if (idToken == null) {
            throw new BadIdToken("no id_token in the token response", null);
        }
        JWTClaimsSet claims = verify(provider, idToken, nonce);
        String email = claimString(claims, "email");
        Object verified = claims.getClaim("email_verified");
        String accessToken = tokens.path("access_token").asText(null);
        if (email == null && provider.userinfoEndpoint() != null && accessToken != null) {
            // OIDC Core §5.3.2: the userinfo's sub must be the ID token's, or nothing it says counts.
            JsonNode userinfo = providers.getJson(provider.userinfoEndpoint(), accessToken);
            if (!claims.getSubject().equals(userinfo.path("sub").asText())) {
                throw new BadIdToken("userinfo is about another subject", null);
            }
            email = userinfo.path("email").isTextual() ? userinfo.path("email").asText() : null;
            verified = userinfo.path("email_verified").isBoolean() ? userinfo.path("email_verified").asBoolean() : null;
        }
        String normalized = email == null ? null : Accounts.normalizeEmail(email);
        return new Identity(provider.issuer(), claims.getSubject(), normalized != null && Accounts.looksLikeEmail(normalized) ? normalized : null,
                Boolean.TRUE.equals(verified) && normalized != null && Accounts.looksLikeEmail(normalized));
    }

    /**
     * GitHub: the code exchanged (PKCE too), then who the token belongs to from its API: the user's numeric id
     * (stable; the login can change) and their primary email, verified only if GitHub says it is.
     */
    private Identity identifyAtGitHub(UpstreamProviders.Provider provider, String code, String verifier) throws BadIdToken {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("code", code);
        form.put("redirect_uri", redirectUri(provider.name()));
        form.put("code_verifier", verifier);
        JsonNode tokens = providers.postForm(provider.tokenEndpoint(), form, basic(provider));
        String accessToken = tokens.path("access_token").asText(null);
        if (accessToken == null) {
            // GitHub answers a bad code with 200 and an error field.
            throw new BadIdToken("GitHub gave no access token (" + printable(tokens.path("error").asText("no error")) + ")", null);
        }
        JsonNode user = providers.getJson(provider.api("/user"), accessToken);
        if (!user.path("id").canConvertToLong()) {
            throw new BadIdToken("GitHub's /user has no numeric id", null);
        }
        String email = null;
        boolean verified = false;
        for (JsonNode entry : providers.getJson(provider.api("/user/emails"), accessToken)) {
            if (entry.path("primary").asBoolean(false) && entry.path("email").isTextual()) {
                email = Accounts.normalizeEmail(entry.path("email").asText());
                verified = entry.path("verified").asBoolean(false);
            }
        }
        boolean usable = email != null && Accounts.looksLikeEmail(email);
        return new Identity(provider.issuer(), String.valueOf(user.path("id").asLong()), usable ? email : null, usable && verified);
    }

    private static String basic(UpstreamProviders.Provider provider) {
        // client_secret_basic (RFC 6749 §2.3.1): both parts form-encoded first.
        return Base64.getEncoder().encodeToString((URLEncoder.encode(provider.config().clientId(), StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(provider.config().clientSecret(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
    }

    private JWTClaimsSet verify(UpstreamProviders.Provider provider, String idToken, String nonce) throws BadIdToken {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(new HashSet<>(provider.idTokenAlgorithms()), provider.keys()));
        // OIDC Core §3.1.3.7: iss exactly, our client id among the audiences, the nonce we sent, sub/iat/exp present.
        DefaultJWTClaimsVerifier<SecurityContext> verifier = new DefaultJWTClaimsVerifier<>(provider.config().clientId(),
                new JWTClaimsSet.Builder().issuer(provider.issuer()).claim("nonce", nonce).build(), Set.of("sub", "iat", "exp")) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        processor.setJWTClaimsSetVerifier(verifier);
        try {
            JWTClaimsSet claims = processor.process(idToken, null);
            Object azp = claims.getClaim("azp");
            if (azp != null ? !provider.config().clientId().equals(azp) : claims.getAudience().size() > 1) {
                throw new BadIdToken("azp is not this client, or several audiences and no azp", null);
            }
            return claims;
        } catch (com.nimbusds.jose.KeySourceException e) {
            throw new UpstreamUnavailable(provider.name(), "did not give its signing keys", e);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            throw new BadIdToken("the ID token did not verify: " + e.getMessage(), e);
        }
    }

    private static String claimString(JWTClaimsSet claims, String name) {
        return claims.getClaim(name) instanceof String value ? value : null;
    }

    private static boolean constantEquals(String expected, String given) {
        return expected != null && given != null
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    private static String printable(String error) {
        String shown = error.replaceAll("[^A-Za-z0-9_.-]", "?");
        return shown.length() > 64 ? shown.substring(0, 64) : shown;
    }
}
