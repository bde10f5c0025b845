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
 * Identity providers on loopback for the upstream sign-in tests (src/test/oidc), each with Gatehouse as its
 * confidential client: a real OpenID provider, node-oidc-provider in memory, as upstream {@code local} (its
 * sign-in page takes any email, vouched for with email_verified: true or not at all); a stand-in for GitHub's
 * documented OAuth endpoints and API as upstream {@code github}; and {@code unreachable}.
 */
public class LocalOidcProvider implements QuarkusTestResourceLifecycleManager {
    public static final String NAME = "local";
    public static final String DISPLAY_NAME = "Local OIDC";
    /** The Gatehouse under test, as the provider's redirect URI names it (the profile sets the issuer to it). */
    public static final String GATEHOUSE = "http://localhost:8081";

    private static volatile String issuer;
    private static volatile int GITHUB_PORT;

    /** The GitHub stand-in's address, which also serves the oversized provider's discovery and its fetch count. */
    public static String gitHubStandIn() {
        return "http://127.0.0.1:" + GITHUB_PORT;
    }
    private final List<Process> processes = new ArrayList<>();

    /** The provider's issuer, for the tests. */
    public static String issuer() {
        return issuer;
    }

    @Override
    public Map<String, String> start() {
        try {
            Path work = NodePackages.prepare(Path.of("src/test/oidc"), Path.of("target/oidc-provider"), "oidc-provider");
            String secret = UUID.randomUUID().toString();
            String client = "{\"client_id\":\"gatehouse-test\",\"client_secret\":\"" + secret + "\"}";
            int port = freePort();
            processes.add(startNode(work, "provider.mjs", Map.of("PORT", String.valueOf(port),
                    "REDIRECT_URI", GATEHOUSE + "/login/upstream/" + NAME + "/callback"), client));
            int githubPort = freePort();
            processes.add(startNode(work, "github.mjs", Map.of("PORT", String.valueOf(githubPort)), client));
            issuer = "http://127.0.0.1:" + port;
            Map<String, String> config = new HashMap<>();
            config.put("gatehouse.issuer", GATEHOUSE);
            config.put("gatehouse.upstream." + NAME + ".issuer", issuer);
            config.put("gatehouse.upstream." + NAME + ".client-id", "gatehouse-test");
            config.put("gatehouse.upstream." + NAME + ".client-secret", secret);
            config.put("gatehouse.upstream." + NAME + ".display-name", DISPLAY_NAME);
            // GitHub's OAuth endpoints and API, as a stand-in on loopback.
            config.put("gatehouse.upstream.github.kind", "github");
            config.put("gatehouse.upstream.github.issuer", "http://127.0.0.1:" + githubPort);
            config.put("gatehouse.upstream.github.api-url", "http://127.0.0.1:" + githubPort + "/api");
            config.put("gatehouse.upstream.github.client-id", "gatehouse-test");
            config.put("gatehouse.upstream.github.client-secret", secret);
            config.put("gatehouse.upstream.github.display-name", "GitHub");
            // And one that cannot be reached: its sign-in answers 503, the others go on.
            // A provider whose discovery document is 2 MB: past what Gatehouse reads of a provider's answer.
            config.put("gatehouse.upstream.oversized.issuer", "http://127.0.0.1:" + githubPort + "/oversized");
            config.put("gatehouse.upstream.oversized.client-id", "gatehouse-test");
            config.put("gatehouse.upstream.oversized.client-secret", "unused");
            GITHUB_PORT = githubPort;
            config.put("gatehouse.upstream.unreachable.issuer", "http://127.0.0.1:9");
            config.put("gatehouse.upstream.unreachable.client-id", "gatehouse-test");
            config.put("gatehouse.upstream.unreachable.client-secret", "unused");
            return config;
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("could not start the local identity providers", e);
        }
    }

    /** Starts {@code script} with Node, hands it {@code stdin}, and waits for its "listening". */
    private static Process startNode(Path work, String script, Map<String, String> environment, String stdin) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("node", script).directory(work.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        try (OutputStream input = process.getOutputStream()) {
            input.write(stdin.getBytes(StandardCharsets.UTF_8));
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
            process.destroyForcibly();
            throw new IllegalStateException(script + " did not start: " + seen);
        }
        // Keep reading its output, so a full pipe never stops it.
        Thread.ofVirtual().start(() -> output.lines().forEach(line -> System.out.println("[" + script + "] " + line)));
        return process;
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void stop() {
        processes.forEach(Process::destroy);
        processes.clear();
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
