package dev.gatehouse.keys;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.jwk.JWK;
import io.quarkus.runtime.LaunchMode;
import jakarta.enterprise.context.ApplicationScoped;
import java.text.ParseException;
import java.util.Base64;
import org.jboss.logging.Logger;

/**
 * Encrypts private keys at rest: each private JWK is stored as a compact JWE ({@code dir}, {@code A256GCM})
 * under the deployment's key-encryption key. Outside dev and test, start-up fails without one, rather
 * than every token request failing later.
 */
@ApplicationScoped
public class PrivateKeyVault {
    private static final Logger LOG = Logger.getLogger(PrivateKeyVault.class);
    /** Used only in dev and test: anyone can read it here, so it protects nothing. */
    private static final String DEVELOPMENT_KEY = "Z2F0ZWhvdXNlLWRldmVsb3BtZW50LWtleS0zMi1ieXQ";

    private final byte[] key;

    PrivateKeyVault(KeysConfig config) {
        String configured = config.encryptionKey().orElse(null);
        if (configured == null) {
            if (LaunchMode.current() == LaunchMode.NORMAL) {
                throw new IllegalStateException("gatehouse.keys.encryption-key (GATEHOUSE_KEYS_ENCRYPTION_KEY) is required: "
                        + "32 random bytes in base64, the same on every node (e.g. openssl rand -base64 32)");
            }
            LOG.warn("Private signing keys are encrypted with the development key; set gatehouse.keys.encryption-key in production");
            configured = DEVELOPMENT_KEY;
        }
        this.key = decode(configured);
        if (key.length != 32) {
            throw new IllegalStateException("gatehouse.keys.encryption-key must decode to 32 bytes, not " + key.length);
        }
    }

    private static byte[] decode(String value) {
        String trimmed = value.strip();
        return trimmed.contains("+") || trimmed.contains("/") || trimmed.endsWith("=")
                ? Base64.getDecoder().decode(trimmed)
                : Base64.getUrlDecoder().decode(trimmed);
    }

    String seal(JWK privateKey) {
        return sealText(privateKey.toJSONString());
    }

    JWK open(String sealed) {
        try {
            return JWK.parse(openText(sealed));
        } catch (ParseException e) {
            throw new IllegalStateException("a sealed signing key is unreadable", e);
        }
    }

    /**
     * Seals a secret kept at rest for a while (a signing key, a mail holding a one-time link until it is
     * sent): JWE {@code dir}/{@code A256GCM}, a fresh IV each time, under {@code gatehouse.keys.encryption-key}.
     */
    public String sealText(String plaintext) {
        try {
            JWEObject jwe = new JWEObject(new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM), new Payload(plaintext));
            jwe.encrypt(new DirectEncrypter(key));
            return jwe.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("could not encrypt", e);
        }
    }

    /**
     * Seals a secret for one purpose only (the key page's {@code shown-once} cookie): the purpose is in the
     * JWE's protected header, which the cipher authenticates, and {@link #openFor} refuses any other seal
     * made under the same key, a mail or a signing key among them.
     */
    public String sealFor(String purpose, String plaintext) {
        try {
            JWEObject jwe = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM)
                    .customParam(PURPOSE, purpose).build(), new Payload(plaintext));
            jwe.encrypt(new DirectEncrypter(key));
            return jwe.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("could not encrypt", e);
        }
    }

    /** Opens what {@link #sealFor} sealed for {@code purpose}; anything else is refused. */
    public String openFor(String purpose, String sealed) {
        try {
            JWEObject jwe = JWEObject.parse(sealed);
            if (!purpose.equals(jwe.getHeader().getCustomParam(PURPOSE))) {
                throw new IllegalStateException("sealed for another purpose");
            }
            jwe.decrypt(new DirectDecrypter(key));
            return jwe.getPayload().toString();
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("could not decrypt", e);
        }
    }

    private static final String PURPOSE = "gatehouse_purpose";

    public String openText(String sealed) {
        try {
            JWEObject jwe = JWEObject.parse(sealed);
            jwe.decrypt(new DirectDecrypter(key));
            return jwe.getPayload().toString();
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("could not decrypt: is gatehouse.keys.encryption-key the one it was sealed with?", e);
        }
    }
}
