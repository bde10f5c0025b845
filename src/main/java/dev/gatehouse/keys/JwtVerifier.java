package dev.gatehouse.keys;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies Gatehouse's own JWTs against the published keys, exactly as an outside verifier would from
 * the JWKS: signature, {@code typ}, issuer, audience, expiry (nimbus's processor, not hand-written checks).
 */
@ApplicationScoped
public class JwtVerifier {
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.RS256);

    private final JWKSource<SecurityContext> keys;

    JwtVerifier(KeyRing ring) {
        this.keys = (selector, context) -> selector.select(ring.publishedKeys());
    }

    /** The claims, if {@code token} is a valid, unexpired JWT of {@code type} from {@code issuer} for {@code audience}. */
    public Optional<JWTClaimsSet> verify(String token, JOSEObjectType type, String issuer, String audience) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(type));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp", "iat", "jti")));
        try {
            return Optional.of(processor.process(token, null));
        } catch (java.text.ParseException | BadJOSEException | com.nimbusds.jose.JOSEException e) {
            return Optional.empty();
        }
    }
}
