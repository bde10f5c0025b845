package dev.gatehouse.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.enterprise.context.ApplicationScoped;

/** Signs JWTs with the ring's current key; the header names the key ({@code kid}) and the token type. */
@ApplicationScoped
public class JwtSigner {
    private final KeyRing ring;

    JwtSigner(KeyRing ring) {
        this.ring = ring;
    }

    /** Signs with the deployment's algorithm. */
    public String sign(JOSEObjectType type, JWTClaimsSet claims) {
        return sign(type, claims, ring.current());
    }

    /** Signs with the current key of {@code algorithm} (an ID token for a client that registered it). */
    public String sign(JOSEObjectType type, JWTClaimsSet claims, SigningAlgorithm algorithm) {
        return sign(type, claims, ring.current(algorithm));
    }

    private static String sign(JOSEObjectType type, JWTClaimsSet claims, SigningKey key) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(key.algorithm().jws()).keyID(key.kid()).type(type).build(), claims);
        try {
            jwt.sign(key.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign a token", e);
        }
        return jwt.serialize();
    }
}
