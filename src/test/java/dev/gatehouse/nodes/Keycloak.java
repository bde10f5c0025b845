package dev.gatehouse.nodes;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real Keycloak (its Quarkus distribution from Maven Central, unpacked by the build into
 * {@code target/keycloak}: see the pom's {@code unpack-keycloak}) in development mode on loopback, with one
 * realm imported at start: a confidential client for Gatehouse and its users. Each start begins with an empty
 * database, so a realm from an earlier run never stands in for this one's.
 */
final class Keycloak implements AutoCloseable {
    static final String REALM = "gatehouse";

    /** A person at Keycloak: {@code emailVerified} is what its ID tokens will say of the address. */
    record User(String username, String password, String email, boolean emailVerified) {
    }

    private final Process process;
    private final int port;
    private final Path log;

    private Keycloak(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The realm's issuer identifier, as its discovery document and ID tokens give it. */
    String issuer() {
        return "http://127.0.0.1:" + port + "/realms/" + REALM;
    }

    /**
     * Starts Keycloak on {@code port} with the realm: client {@code clientId} with {@code secret}, PKCE S256
     * required, the one redirect URI; and {@code users}. Waits for the realm's discovery document.
     */
    static Keycloak start(int port, String clientId, String secret, URI redirectUri, List<User> users) {
        Path home = Paths.get(System.getProperty("gatehouse.keycloak.home", "target/keycloak/keycloak")).toAbsolutePath();
        if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException(home + " has no Keycloak: the build unpacks it in pre-integration-test (./mvnw verify)");
        }
        Path log = Paths.get(System.getProperty("gatehouse.nodes.dir", "target/nodes")).toAbsolutePath().resolve("keycloak.log");
        try {
            deleteTree(home.resolve("data"));
            Path imports = Files.createDirectories(home.resolve("data/import"));
            Files.createDirectories(log.getParent());
            // The realm file must be named after the realm.
            new ObjectMapper().writeValue(imports.resolve(REALM + "-realm.json").toFile(), realm(clientId, secret, redirectUri, users));
            ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start-dev", "--import-realm",
                    "--http-host=127.0.0.1", "--http-port=" + port)
                    .directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Keycloak keycloak = new Keycloak(builder.start(), port, log);
            keycloak.awaitRealm(Duration.ofSeconds(Long.getLong("gatehouse.keycloak.start-timeout", 240)));
            return keycloak;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Keycloak", e);
        }
    }

    private static Map<String, Object> realm(String clientId, String secret, URI redirectUri, List<User> users) {
        return Map.of("realm", REALM, "enabled", true, "sslRequired", "none",
                "clients", List.of(Map.of("clientId", clientId, "enabled", true, "publicClient", false, "secret", secret,
                        "protocol", "openid-connect", "standardFlowEnabled", true, "directAccessGrantsEnabled", false,
                        "redirectUris", List.of(redirectUri.toString()),
                        "attributes", Map.of("pkce.code.challenge.method", "S256"))),
                "users", users.stream().map(user -> Map.of("username", user.username(), "email", user.email(),
                        "emailVerified", user.emailVerified(), "firstName", user.username(), "lastName", "Tester", "enabled", true,
                        "credentials", List.of(Map.of("type", "password", "value", user.password(), "temporary", false)))).toList());
    }

    private void awaitRealm(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        URI discovery = URI.create(issuer() + "/.well-known/openid-configuration");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited during start-up; its log ends with:\n" + tail());
            }
            try {
                if (http.send(HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            Cluster.pause(500);
        }
        close();
        throw new IllegalStateException("Keycloak did not serve its realm within " + timeout.toSeconds() + " s; its log ends with:\n" + tail());
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        // kc.sh starts the JVM as its child: both go.
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
