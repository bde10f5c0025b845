package dev.gatehouse.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenID provider on loopback for the upstream sign-in tests: node-oidc-provider (src/test/oidc), in
 * memory, with Gatehouse registered as its confidential client, configured as the upstream provider
 * {@code local}. Its sign-in page takes any email, vouched for (email_verified: true) or not (no
 * email_verified claim at all).
 */
public class LocalOidcProvider implements QuarkusTestResourceLifecycleManager {
    public static final String NAME = "local";
    public static final String DISPLAY_NAME = "Local OIDC";
    /** The Gatehouse under test, as the provider's redirect URI names it (the profile sets the issuer to it). */
    public static final String GATEHOUSE = "http://localhost:8081";

    private static volatile String issuer;
    private Process process;

    /** The provider's issuer, for the tests. */
    public static String issuer() {
        return issuer;
    }

    @Override
    public Map<String, String> start() {
        try {
            Path work = NodePackages.prepare(Path.of("src/test/oidc"), Path.of("target/oidc-provider"), "oidc-provider");
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            String secret = UUID.randomUUID().toString();
            ProcessBuilder builder = new ProcessBuilder("node", "provider.mjs").directory(work.toFile()).redirectErrorStream(true);
            builder.environment().put("PORT", String.valueOf(port));
            builder.environment().put("REDIRECT_URI", GATEHOUSE + "/login/upstream/" + NAME + "/callback");
            process = builder.start();
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(("{\"client_id\":\"gatehouse-test\",\"client_secret\":\"" + secret + "\"}").getBytes(StandardCharsets.UTF_8));
            }
            BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            List<String> seen = new ArrayList<>();
            CompletableFuture<Boolean> listening = CompletableFuture.supplyAsync(() -> {
                try {
                    String line;
                    while ((line = output.readLine()) != null) {
                        seen.add(line);
                        if (line.equals("listening")) {
                            return true;
                        }
                    }
                } catch (java.io.IOException e) {
                    return false;
                }
                return false;
            });
            if (!listening.get(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the OpenID provider did not start: " + seen);
            }
            // Keep reading its output, so a full pipe never stops it.
            Thread.ofVirtual().start(() -> output.lines().forEach(line -> System.out.println("[oidc-provider] " + line)));
            issuer = "http://127.0.0.1:" + port;
            Map<String, String> config = new HashMap<>();
            config.put("gatehouse.issuer", GATEHOUSE);
            config.put("gatehouse.upstream." + NAME + ".issuer", issuer);
            config.put("gatehouse.upstream." + NAME + ".client-id", "gatehouse-test");
            config.put("gatehouse.upstream." + NAME + ".client-secret", secret);
            config.put("gatehouse.upstream." + NAME + ".display-name", DISPLAY_NAME);
            // And one that cannot be reached: its sign-in answers 503, the others go on.
            config.put("gatehouse.upstream.unreachable.issuer", "http://127.0.0.1:9");
            config.put("gatehouse.upstream.unreachable.client-id", "gatehouse-test");
            config.put("gatehouse.upstream.unreachable.client-secret", "unused");
            return config;
        } catch (Exception e) {
            if (process != null) {
                process.destroyForcibly();
            }
            throw new IllegalStateException("could not start the local OpenID provider", e);
        }
    }

    @Override
    public void stop() {
        if (process != null) {
            process.destroy();
        }
    }

    /** Mail really sent, sign-up through the mailed link, and the local OpenID provider as upstream "local". */
    public static class Profile extends MailServer.SignUpByEmail {
        @Override
        public List<TestResourceEntry> testResources() {
            List<TestResourceEntry> resources = new ArrayList<>(super.testResources());
            resources.add(new TestResourceEntry(LocalOidcProvider.class));
            return resources;
        }
    }
}
