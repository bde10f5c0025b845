package dev.gatehouse.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import dev.gatehouse.db.Sql;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The signing keys, shared by every node through PostgreSQL. Rotation makes a new key that is published
 * at once but signs only after {@code publish-ahead}, so verifiers that cache the JWKS know it before
 * they meet it; the key it replaces keeps being published until every token it signed has expired.
 * Each node reloads the ring every {@code check-interval}; rotation is due every {@code rotation-interval}
 * and can be asked for by an operator.
 *
 * <p>The ring holds a key of the deployment's algorithm ({@code gatehouse.keys.algorithm}), which signs
 * access tokens, and an RS256 key besides when that is not RS256: OpenID Connect requires RS256 for ID
 * tokens (Discovery §3), and clients that registered nothing else get it (Dynamic Registration §2).
 * Every rotation renews one key per algorithm.
 */
@ApplicationScoped
@Startup
public class KeyRing {
    private static final Logger LOG = Logger.getLogger(KeyRing.class);
    /** Serialises rotation across nodes (pg_advisory_xact_lock). */
    private static final long ROTATION_LOCK = 0x6761746568L;

    private final KeysConfig config;
    private final PrivateKeyVault vault;
    private final Sql sql;
    private final Duration verifyAfterRetirement;
    private final Clock clock;
    private final Set<SigningAlgorithm> algorithms;
    private volatile List<SigningKey> keys = List.of();
    private ScheduledExecutorService scheduler;

    KeyRing(KeysConfig config, PrivateKeyVault vault, Sql sql, SignedTokenLifetimes lifetimes, Clock clock) {
        this.clock = clock;
        this.config = config;
        this.vault = vault;
        this.sql = sql;
        // A retired key verifies for as long as the longest-lived token it may have signed, plus clock skew.
        this.verifyAfterRetirement = lifetimes.longest().plus(SignedTokenLifetimes.NODE_CLOCK_SKEW);
        this.algorithms = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(config.algorithm(), SigningAlgorithm.RS256)));
        if (config.checkInterval().compareTo(config.publishAhead()) >= 0) {
            throw new IllegalStateException("gatehouse.keys.check-interval must be shorter than gatehouse.keys.publish-ahead, "
                    + "or other nodes could meet a new key before they publish it");
        }
    }

    void start(@Observes StartupEvent event) {
        QuarkusTransaction.requiringNew().run(this::ensureActiveKey);
        reload();
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gatehouse-key-ring");
            thread.setDaemon(true);
            return thread;
        });
        long every = config.checkInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::checkQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** The key of the deployment's algorithm that signs now. */
    public SigningKey current() {
        return current(config.algorithm());
    }

    /** The key of {@code algorithm} that signs now. */
    public SigningKey current(SigningAlgorithm algorithm) {
        Instant now = clock.instant();
        return keys.stream().filter(key -> key.algorithm() == algorithm && key.signsAt(now))
                .max(Comparator.comparing(SigningKey::activatesAt))
                .orElseThrow(() -> new IllegalStateException("no " + algorithm + " signing key is active"));
    }

    /** The algorithms the ring signs with: the deployment's first, then RS256 for ID tokens. */
    public Set<SigningAlgorithm> algorithms() {
        return algorithms;
    }

    /** Every key that verifies now, public halves only. */
    public JWKSet publishedKeys() {
        Instant now = clock.instant();
        return new JWKSet(keys.stream().filter(key -> key.publishedAt(now)).map(SigningKey::publicJwk).toList());
    }

    /**
     * Makes the next key (an operator's command, or the schedule). It signs after {@code publish-ahead};
     * the current key then retires and verifies until its tokens have expired.
     */
    public String rotate() {
        String kid = QuarkusTransaction.requiringNew().call(() -> {
            lockRotation();
            return createNextKey();
        });
        reload();
        LOG.infof("Signing key %s published; it signs from %s", kid, clock.instant().plus(config.publishAhead()));
        return kid;
    }

    private void checkQuietly() {
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                lockRotation();
                if (rotationDue()) {
                    String kid = createNextKey();
                    LOG.infof("Scheduled rotation: signing key %s published", kid);
                }
            });
            reload();
        } catch (RuntimeException e) {
            LOG.warnf("Key ring check failed, will retry: %s", e.getMessage());
        }
    }

    private boolean rotationDue() {
        Instant newest = sql.one("select max(created_at) as newest from signing_key", row -> Sql.instant(row, "newest")).orElse(null);
        return newest == null || !clock.instant().isBefore(newest.plus(config.rotationInterval()));
    }

    private void ensureActiveKey() {
        lockRotation();
        for (SigningAlgorithm algorithm : algorithms) {
            long live = sql.one("select count(*) from signing_key where retired_at is null and alg = ?", row -> row.getLong(1),
                    algorithm.name()).orElse(0L);
            if (live == 0) {
                // The very first key of an algorithm has nothing to be announced ahead of: it signs at once.
                insert(algorithm, now(), now());
                LOG.infof("First %s signing key created", algorithm);
            }
        }
    }

    /** A new key per algorithm; returns the kid of the deployment's. */
    private String createNextKey() {
        Instant created = now();
        Instant activates = created.plus(config.publishAhead());
        // Whatever signs until then retires when the new key activates.
        sql.update("update signing_key set retired_at = ?, expires_at = ? where retired_at is null", activates,
                activates.plus(verifyAfterRetirement));
        String primary = null;
        for (SigningAlgorithm algorithm : algorithms) {
            String kid = insert(algorithm, created, activates);
            primary = primary == null ? kid : primary;
        }
        return primary;
    }

    private String insert(SigningAlgorithm algorithm, Instant created, Instant activates) {
        String kid = UUID.randomUUID().toString();
        JWK jwk;
        try {
            jwk = algorithm.generate(kid);
        } catch (JOSEException e) {
            throw new IllegalStateException("could not generate a signing key", e);
        }
        sql.update("insert into signing_key (kid, alg, public_jwk, private_jwe, created_at, activates_at) values (?, ?, ?, ?, ?, ?)",
                kid, algorithm.name(), jwk.toPublicJWK().toJSONString(), vault.seal(jwk), created, activates);
        return kid;
    }

    private void lockRotation() {
        sql.one("select pg_advisory_xact_lock(" + ROTATION_LOCK + ")", row -> Boolean.TRUE);
    }

    /** Reads the ring from PostgreSQL: keys still published or yet to sign. */
    void reload() {
        Instant now = clock.instant();
        keys = QuarkusTransaction.requiringNew().call(() -> sql.list("select kid, alg, public_jwk, private_jwe, created_at, activates_at,"
                + " retired_at, expires_at from signing_key where expires_at is null or expires_at > ?", this::toKey, now));
    }

    private SigningKey toKey(java.sql.ResultSet row) throws java.sql.SQLException {
        String kid = row.getString("kid");
        SigningKey known = keys.stream().filter(key -> key.kid().equals(kid)).findFirst().orElse(null);
        try {
            JWK publicJwk = known != null ? known.publicJwk() : JWK.parse(row.getString("public_jwk"));
            JWSSigner signer = known != null ? known.signer() : signer(vault.open(row.getString("private_jwe")));
            return new SigningKey(kid, SigningAlgorithm.valueOf(row.getString("alg")), publicJwk, signer, Sql.instant(row, "created_at"),
                    Sql.instant(row, "activates_at"), Sql.instant(row, "retired_at"), Sql.instant(row, "expires_at"));
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("signing key " + kid + " is unreadable", e);
        }
    }

    private static JWSSigner signer(JWK jwk) throws JOSEException {
        return switch (jwk.getKeyType().getValue()) {
            case "EC" -> new ECDSASigner(jwk.toECKey());
            case "RSA" -> new RSASSASigner(jwk.toRSAKey());
            default -> throw new IllegalStateException("unsupported key type " + jwk.getKeyType());
        };
    }

    /** The ring as operators see it: no key material. */
    public List<Map<String, Object>> describe() {
        return keys.stream().map(key -> Map.<String, Object>of(
                "kid", key.kid(), "alg", key.algorithm().name(),
                "activatesAt", key.activatesAt().toString(),
                "retiredAt", String.valueOf(key.retiredAt()),
                "expiresAt", String.valueOf(key.expiresAt()))).toList();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
