package dev.gatehouse.testing;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A trusted agent provider for tests: it signs ID-JAGs and logout tokens with its own key and serves its
 * JWKS over HTTP on loopback, as a real provider would at {@code <issuer>/.well-known/jwks.json}.
 */
public class AgentProvider implements QuarkusTestResourceLifecycleManager {
    private static volatile ECKey key;
    private static volatile String issuer;
    private HttpServer server;

    public static String issuer() {
        return issuer;
    }

    /** Signs {@code claims} with the provider's key and {@code typ}. */
    public static String sign(String typ, JWTClaimsSet claims) {
        return sign(key, typ, claims);
    }

    public static String sign(ECKey with, String typ, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(with.getKeyID())
                    .type(new JOSEObjectType(typ)).build(), claims);
            jwt.sign(new ECDSASigner(with));
            return jwt.serialize();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ECKey otherKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(key.getKeyID()).generate();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Map<String, String> start() {
        try {
            key = new ECKeyGenerator(Curve.P_256).keyID("provider-key-1").generate();
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            issuer = "http://127.0.0.1:" + server.getAddress().getPort();
            byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            server.createContext("/.well-known/jwks.json", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, jwks.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(jwks);
                }
            });
            server.start();
            return Map.of("gatehouse.agent.providers.test.issuer", issuer);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(AgentProvider.class));
        }
    }
}
