package dev.gatehouse.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One Gatehouse node of a {@link Cluster}: the prod jar in its own {@code java -jar} process, on its own
 * 127.0.0.1 port, with its output in {@code target/nodes/<name>.log}. Its methods speak the HTTP API.
 */
public final class Node {
    public static final String PASSWORD = "correct horse battery staple";
    public static final String SESSION_COOKIE = "gatehouse_session";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final int port;
    private final URI base;
    private final Path log;
    private final Process process;
    private final HttpClient http;

    /** The management interface: health and metrics, on a port of their own. */
    private final URI management;

    Node(String name, int port, int managementPort, Path log, Process process, HttpClient http) {
        this.name = name;
        this.port = port;
        this.base = URI.create("http://127.0.0.1:" + port);
        this.management = URI.create("http://127.0.0.1:" + managementPort);
        this.log = log;
        this.process = process;
        this.http = http;
    }

    public String name() {
        return name;
    }

    public URI base() {
        return base;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    @Override
    public String toString() {
        return "node " + name + " (" + base + ", pid " + process.pid() + ")";
    }

    /** A freshly minted API key: its id (to revoke it) and the raw key (to present it). */
    public record Key(String id, String raw) {
        @Override
        public String toString() {
            return "key " + id; // never the raw key
        }
    }

    /** A readiness answer: the HTTP status and the checks by name. */
    public record Readiness(int status, JsonNode body) {
        public JsonNode check(String name) {
            for (JsonNode check : body.path("checks")) {
                if (name.equals(check.path("name").asText())) {
                    return check;
                }
            }
            return JSON.missingNode();
        }

        /** {@code data.<field>} of the check named {@code name}, or "" when absent. */
        public String data(String name, String field) {
            return check(name).path("data").path(field).asText("");
        }

        public String checkStatus(String name) {
            return check(name).path("status").asText("");
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    // --- HTTP -------------------------------------------------------------------------------------

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    /** Signs a new person up ({@code POST /signup}) and returns the session cookie ({@code name=value}). */
    public String signUp() {
        return signUp("node-" + UUID.randomUUID() + "@example.test");
    }

    /** Signs {@code email} up, with {@link #PASSWORD}, and returns the session cookie ({@code name=value}). */
    public String signUp(String email) {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(base.resolve("/signup"))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(Map.of("email", email, "password", PASSWORD)))));
        expect(answer, 201, "POST /signup");
        return answer.headers().allValues("set-cookie").stream()
                .filter(cookie -> cookie.startsWith(SESSION_COOKIE + "="))
                .map(cookie -> cookie.split(";", 2)[0])
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + ": POST /signup set no " + SESSION_COOKIE + " cookie"));
    }

    /** {@code POST /settings/api-keys} with scope profile:read. */
    public Key mintKey(String session) {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(base.resolve("/settings/api-keys"))
                .header("Content-Type", "application/json").header("Accept", "application/json").header("Cookie", session)
                .POST(HttpRequest.BodyPublishers.ofString(
                        json(Map.of("label", "node test key", "scopes", List.of("profile:read"))))));
        expect(answer, 201, "POST /settings/api-keys");
        JsonNode body = parse(answer.body());
        return new Key(body.path("id").asText(), body.path("rawKey").asText());
    }

    /** {@code DELETE /settings/api-keys/{id}}; the status. */
    public int revoke(String session, Key key) {
        return send(HttpRequest.newBuilder(base.resolve("/settings/api-keys/" + key.id()))
                .header("Cookie", session).header("Accept", "application/json").DELETE()).statusCode();
    }

    /** {@code GET /v1/me} with the key as Bearer; the status. */
    public int me(Key key) {
        return send(HttpRequest.newBuilder(base.resolve("/v1/me")).header("Authorization", "Bearer " + key.raw()).GET())
                .statusCode();
    }

    public Readiness readiness() {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(management.resolve("/q/health/ready")).GET());
        return new Readiness(answer.statusCode(), parse(answer.body()));
    }

    /**
     * The value of a Prometheus sample from {@code /q/metrics}: the first line named {@code name} (with
     * or without labels). Empty when the metric is absent.
     */
    public OptionalDouble metric(String name) {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(management.resolve("/q/metrics")).GET());
        expect(answer, 200, "GET /q/metrics");
        return answer.body().lines()
                .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst();
    }

    private void expect(HttpResponse<String> answer, int status, String what) {
        if (answer.statusCode() != status) {
            throw new AssertionError(name + ": " + what + " answered " + answer.statusCode() + ", not " + status);
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.missingNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }

    // --- Process ----------------------------------------------------------------------------------

    /** The last {@code lines} lines of this node's output. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the node: SIGTERM, up to 20 s for a graceful stop, then forced. */
    void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
