package dev.gatehouse.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.testing.Http;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The nginx example ({@code examples/nginx/gatehouse.conf}) run by Debian's nginx in front of a small
 * upstream, with Gatehouse deciding through {@code auth_request}: what the upstream and the client see.
 * Never skipped: without nginx the test fails and says how to install it ({@code .ci/run} does).
 */
@QuarkusTest
@TestProfile(GatewayProfile.class)
class NginxGatewayTest {
    private static final Path EXAMPLE = Path.of("examples", "nginx", "gatehouse.conf");
    private static final String UPSTREAM_SAW = "Upstream-Saw-";

    private static HttpServer upstream;
    private static final AtomicInteger upstreamCalls = new AtomicInteger();
    private static Process nginx;
    private static Path prefix;
    private static int nginxPort;

    @BeforeEach
    void startOnce() throws Exception {
        if (nginx == null) {
            startUpstream();
            startNginx(RestAssured.port);
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (nginx != null) {
            nginx.destroy(); // SIGTERM: nginx's fast shutdown; the workers go with the master
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly();
            }
            nginx = null;
        }
        if (upstream != null) {
            upstream.stop(0);
            upstream = null;
        }
    }

    /** Answers 200 and repeats, as Upstream-Saw-* headers, every X-Gatehouse-* header nginx sent it. */
    private static void startUpstream() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/", exchange -> {
            upstreamCalls.incrementAndGet();
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (name.toLowerCase(java.util.Locale.ROOT).startsWith("x-gatehouse-")) {
                    exchange.getResponseHeaders().put(UPSTREAM_SAW + name, values);
                }
            });
            byte[] body = "{\"upstream\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        upstream.start();
    }

    private static String nginxBinary() {
        for (String candidate : List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nginx"))) {
                return Path.of(dir, "nginx").toString();
            }
        }
        return fail("nginx is not installed, so the gateway example cannot be tested: run .ci/run as root "
                + "(it installs Debian's nginx) or apt-get install nginx");
    }

    private static void startNginx(int gatehousePort) throws Exception {
        String binary = nginxBinary();
        nginxPort = freePort();
        prefix = Path.of("target", "nginx-gateway-test").toAbsolutePath();
        Files.createDirectories(prefix.resolve("conf"));
        Files.createDirectories(prefix.resolve("logs"));
        Files.createDirectories(prefix.resolve("tmp"));

        String example = Files.readString(EXAMPLE);
        String site = replaceOnce(example, "server 127.0.0.1:8080;", "server 127.0.0.1:" + gatehousePort + ";");
        site = replaceOnce(site, "server 127.0.0.1:9000;", "server 127.0.0.1:" + upstream.getAddress().getPort() + ";");
        site = replaceOnce(site, "listen 8000;", "listen 127.0.0.1:" + nginxPort + ";");
        Files.writeString(prefix.resolve("conf/gatehouse.conf"), site);
        String tmp = prefix.resolve("tmp").toString();
        Files.writeString(prefix.resolve("conf/nginx.conf"), String.join("\n",
                "worker_processes 1;",
                "error_log " + prefix.resolve("logs/error.log") + " info;",
                "pid " + prefix.resolve("nginx.pid") + ";",
                "events { worker_connections 64; }",
                "http {",
                "    access_log " + prefix.resolve("logs/access.log") + ";",
                "    client_body_temp_path " + tmp + "/body;",
                "    proxy_temp_path " + tmp + "/proxy;",
                "    fastcgi_temp_path " + tmp + "/fastcgi;",
                "    uwsgi_temp_path " + tmp + "/uwsgi;",
                "    scgi_temp_path " + tmp + "/scgi;",
                "    include " + prefix.resolve("conf/gatehouse.conf") + ";",
                "}", ""));
        // As root, nginx would hand its workers to "nobody"; keep them as whoever runs the test.
        String globals = "daemon off;" + ("root".equals(System.getProperty("user.name")) ? " user root;" : "");
        nginx = new ProcessBuilder(binary, "-p", prefix.toString(), "-c", prefix.resolve("conf/nginx.conf").toString(),
                "-e", prefix.resolve("logs/startup.log").toString(), "-g", globals)
                .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/stdout.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!nginx.isAlive()) {
                fail("nginx stopped at start-up (exit " + nginx.exitValue() + "):\n" + logs());
            }
            try (Socket socket = new Socket("127.0.0.1", nginxPort)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        fail("nginx did not listen on " + nginxPort + " within 15 s:\n" + logs());
    }

    private static String replaceOnce(String text, String literal, String replacement) {
        assertEquals(1, text.split(java.util.regex.Pattern.quote(literal), -1).length - 1,
                EXAMPLE + " must contain '" + literal + "' exactly once: the test substitutes it");
        return text.replace(literal, replacement);
    }

    private static String logs() throws IOException {
        StringBuilder all = new StringBuilder();
        for (String name : List.of("startup.log", "stdout.log", "error.log")) {
            Path log = prefix.resolve("logs").resolve(name);
            if (Files.exists(log)) {
                all.append("--- ").append(name).append('\n').append(Files.readString(log));
            }
        }
        return all.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static RequestSpecification throughNginx() {
        return given().port(nginxPort);
    }

    @Test
    void aValidKeyReachesTheUpstreamWithWhoItIsAndTheClientGetsTheMetering() {
        String session = Http.signUpSomeone();
        Map<String, Object> minted = Http.mintKey(session, List.of("jobs:read", "profile:read"));
        String key = (String) minted.get("rawKey");
        String account = Http.me(key).then().statusCode(200).extract().path("account.id");

        throughNginx().header("Authorization", "Bearer " + key)
                // A client's own identity headers never reach the upstream.
                .header("X-Gatehouse-Account", "someone-else").header("X-Gatehouse-Scopes", "everything")
                .get("/api/jobs/7?page=2")
                .then().statusCode(200)
                .body("upstream", equalTo("ok"))
                .header(UPSTREAM_SAW + "X-gatehouse-account", equalTo(account))
                .header(UPSTREAM_SAW + "X-gatehouse-key-id", equalTo(minted.get("id")))
                .header(UPSTREAM_SAW + "X-gatehouse-scopes", equalTo("jobs:read profile:read"))
                .header(UPSTREAM_SAW + "X-gatehouse-environment", equalTo("live"))
                .header(UPSTREAM_SAW + "X-gatehouse-body", nullValue())
                // Relayed to the client: the route's price (GET /api/jobs/{id} costs 2) and the rate limit, after
                // the /v1/me above (1 credit, 1 request).
                .header("X-RateLimit-Limit", "100")
                .header("X-RateLimit-Remaining", "98")
                .header("X-RateLimit-Reset", notNullValue())
                .header("RateLimit", startsWith("\"default\";r=98;t="))
                .header("X-Credits-Used", "2")
                .header("X-Credits-Remaining", "997")
                .header("X-Gatehouse-Status", nullValue());
    }

    @Test
    void noKeyIs401WithTheSeedBodyAndTheUpstreamIsNeverCalled() {
        int before = upstreamCalls.get();
        var answer = throughNginx().get("/api/jobs").then().statusCode(401)
                .contentType(startsWith("application/json"))
                .body("status", equalTo(401)).body("error", equalTo("Unauthorized"))
                .body("message", equalTo("Missing or invalid API key"))
                .header("X-Gatehouse-Body", nullValue())
                .extract().headers().getValues("WWW-Authenticate");
        assertEquals(List.of("Bearer resource_metadata=\"http://localhost:8080/.well-known/oauth-protected-resource\""), answer,
                "one challenge, Gatehouse's");
        throughNginx().header("Authorization", "Bearer gth_live_nope").get("/api/jobs.html").then().statusCode(401)
                .contentType(startsWith("application/json"))
                .body("message", equalTo("Missing or invalid API key"));
        assertEquals(before, upstreamCalls.get());
    }

    @Test
    void aMissingScopeIs403WithTheSeedBodyAndChallenge() {
        String key = ForwardAuthTest.key("reader", List.of("jobs:read"), null);
        throughNginx().header("Authorization", "Bearer " + key).contentType("application/json").body("{}").post("/api/jobs")
                .then().statusCode(403)
                .contentType(startsWith("application/json"))
                .header("WWW-Authenticate", containsString("scope=\"jobs:write\""))
                .body("status", equalTo(403)).body("error", equalTo("Forbidden"))
                .body("message", containsString("jobs:write"));
    }

    @Test
    void anAddressOutsideTheAllowlistIs403() {
        // nginx names the client (127.0.0.1) in X-Forwarded-For; Gatehouse trusts nginx to.
        String key = ForwardAuthTest.key("office", List.of("jobs:read"), List.of("198.51.100.0/24"));
        throughNginx().header("Authorization", "Bearer " + key).get("/api/jobs").then().statusCode(403)
                .body("status", equalTo(403)).body("message", containsString("127.0.0.1"));
    }

    @Test
    void rateLimitedAndOutOfCreditsReachTheClientWithTheirStatusBodyAndHeaders() {
        String limited = ForwardAuthTest.rateLimitedKey(List.of("jobs:read"));
        throughNginx().header("Authorization", "Bearer " + limited).get("/api/jobs").then().statusCode(429)
                .contentType(startsWith("application/json"))
                .header("Retry-After", notNullValue())
                .header("X-RateLimit-Limit", "1")
                .header("X-RateLimit-Remaining", "0")
                .body("status", equalTo(429)).body("error", equalTo("Too Many Requests"))
                .body("message", startsWith("Rate limit exceeded. Retry after "))
                .body("retryAfter", notNullValue());
        String broke = ForwardAuthTest.brokeKey(List.of("jobs:read"));
        throughNginx().header("Authorization", "Bearer " + broke).get("/api/jobs").then().statusCode(402)
                .contentType(startsWith("application/json"))
                .header("X-Credits-Remaining", "0")
                .body("status", equalTo(402)).body("error", equalTo("Payment Required"))
                .body("message", startsWith("Insufficient credits for this operation: it costs 1 and 0 remain"));
    }

    @Test
    void aKeyInTheQueryAndAnUnroutedPathKeepTheirStatusesToo() {
        String key = ForwardAuthTest.key("k", List.of("jobs:read"), null);
        throughNginx().get("/api/jobs?api_key=" + key).then().statusCode(400)
                .body("status", equalTo(400)).body("message", containsString("never in the URL query"));
        throughNginx().header("Authorization", "Bearer " + key).get("/elsewhere").then().statusCode(404)
                .body("status", equalTo(404));
        // A client's own Traefik-style headers cannot pick the route either.
        int before = upstreamCalls.get();
        throughNginx().header("Authorization", "Bearer " + key).header("X-Forwarded-Uri", "/api/jobs")
                .header("X-Forwarded-Method", "GET").get("/elsewhere").then().statusCode(404);
        assertEquals(before, upstreamCalls.get(), "refused requests never reach the upstream");
    }
}
