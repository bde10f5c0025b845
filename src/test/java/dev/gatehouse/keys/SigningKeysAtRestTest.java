package dev.gatehouse.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/** Private signing keys are stored only encrypted; both algorithms make working keys. */
@QuarkusTest
class SigningKeysAtRestTest {
    @Inject
    AgroalDataSource database;

    @Inject
    PrivateKeyVault vault;

    @Test
    void privateKeysAreStoredAsJweAndNeverInTheClear() throws Exception {
        int rows = 0;
        try (Connection connection = database.getConnection();
                ResultSet keys = connection.createStatement().executeQuery("select public_jwk, private_jwe from signing_key")) {
            while (keys.next()) {
                rows++;
                String sealed = keys.getString("private_jwe");
                assertEquals(5, sealed.split("\\.", -1).length, "a compact JWE");
                assertFalse(sealed.contains("\"d\""), "no private member in the clear");
                assertFalse(keys.getString("public_jwk").contains("\"d\""), "the public half has no private member");
                JWK opened = vault.open(sealed);
                assertTrue(opened.isPrivate(), "the vault, and only the vault, opens it");
            }
        }
        assertTrue(rows > 0, "the ring has keys to look at");
    }

    @Test
    void es256AndRs256KeysSignAndVerify() throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("s").build();
        JWK ec = SigningAlgorithm.ES256.generate("ec");
        SignedJWT ecJwt = new SignedJWT(new JWSHeader.Builder(SigningAlgorithm.ES256.jws()).type(JOSEObjectType.JWT).build(), claims);
        ecJwt.sign(new ECDSASigner(ec.toECKey()));
        assertTrue(ecJwt.verify(new ECDSAVerifier(ec.toPublicJWK().toECKey())));

        JWK rsa = SigningAlgorithm.RS256.generate("rsa");
        SignedJWT rsaJwt = new SignedJWT(new JWSHeader.Builder(SigningAlgorithm.RS256.jws()).type(JOSEObjectType.JWT).build(), claims);
        rsaJwt.sign(new RSASSASigner(rsa.toRSAKey()));
        assertTrue(rsaJwt.verify(new RSASSAVerifier(rsa.toPublicJWK().toRSAKey())));
        // A vault round trip keeps the key whole.
        assertEquals(rsa, vault.open(vault.seal(rsa)));
    }
}
