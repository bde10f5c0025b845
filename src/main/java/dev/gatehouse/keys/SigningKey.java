package dev.gatehouse.keys;

import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jwk.JWK;
import java.time.Instant;

/** One key of the ring, with its signing window and how long it stays published. */
public record SigningKey(String kid, SigningAlgorithm algorithm, JWK publicJwk, JWSSigner signer,
        Instant createdAt, Instant activatesAt, Instant retiredAt, Instant expiresAt) {

    boolean signsAt(Instant now) {
        return !now.isBefore(activatesAt) && (retiredAt == null || now.isBefore(retiredAt));
    }

    boolean publishedAt(Instant now) {
        return !now.isBefore(createdAt) && (expiresAt == null || now.isBefore(expiresAt));
    }
}
