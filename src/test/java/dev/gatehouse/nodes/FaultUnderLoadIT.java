package dev.gatehouse.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Issue 9's fault test: two nodes under a steady mixed load (cached verifies, refreshes, key minting,
 * revocations, agent claims that send mail) while PostgreSQL, then Redis, then SMTP are stopped and started
 * again. It records, per phase and operation, what was answered and how fast, and asserts the designed
 * answers (README "When a dependency fails"; docs/reliability.md):
 * <ul>
 * <li>no request is ever answered 500, or anything but its success or 503 with Retry-After, and none takes
 * 2 s or more;</li>
 * <li>PostgreSQL down: cached verifies all succeed; writes are 503; every operation works again within 5 s
 * of PostgreSQL returning;</li>
 * <li>Redis down, SMTP down: no request fails at all;</li>
 * <li>afterwards nothing acknowledged was lost: every key answered 201 works, every revocation answered 204
 * holds on both nodes, every claim answered 200 had its mail delivered.</li>
 * </ul>
 * The figures go to {@code target/nodes/reliability.md}, and from there to docs/reliability.md.
 */
class FaultUnderLoadIT {
    private static final Duration PHASE = Duration.ofSeconds(Long.getLong("gatehouse.fault.phase-seconds", 10));
    private static final Duration RECOVERY = Duration.ofSeconds(5);
    private static final Duration SLOW = Duration.ofSeconds(2);
    private static final String ADMIN_TOKEN = "fault-test-" + UUID.randomUUID();
    private static final String REDIRECT = "http://127.0.0.1/callback";
    private static final int WORKERS = 4;
    private static final SecureRandom RANDOM = new SecureRandom();

    enum Operation { VERIFY, REFRESH, MINT, REVOKE, CLAIM }

    /** How one request ended: its expected success, the designed 503, or anything else (a failure of this test). */
    enum Outcome { OK, UNAVAILABLE, WRONG }

    /** What one phase saw of one operation. */
    static final class Tally {
        int ok;
        int unavailable;
        int wrong;
        long slowest;
        final List<String> wrongSamples = new ArrayList<>();

        synchronized void add(Outcome outcome, long millis, String detail) {
            switch (outcome) {
                case OK -> ok++;
                case UNAVAILABLE -> unavailable++;
                case WRONG -> {
                    wrong++;
                    if (wrongSamples.size() < 5) {
                        wrongSamples.add(detail);
                    }
                }
            }
            slowest = Math.max(slowest, millis);
        }

        synchronized int total() {
            return ok + unavailable + wrong;
        }
    }

    private final Map<String, Map<Operation, Tally>> phases = new LinkedHashMap<>();
    private volatile Map<Operation, Tally> current;
    /** When each operation first succeeded after the last dependency came back. */
    private final Map<Operation, Long> firstSuccess = new ConcurrentHashMap<>();
    private volatile long restartedAt;

    private final Queue<Node.Key> acknowledgedKeys = new ConcurrentLinkedQueue<>();
    private final Queue<Node.Key> acknowledgedRevocations = new ConcurrentLinkedQueue<>();
    private final Queue<String> acknowledgedClaims = new ConcurrentLinkedQueue<>();

    @Test
    void postgresThenRedisThenSmtpFailUnderLoadAndNothingAcknowledgedIsLost() throws Exception {
        Map<String, String> environment = Map.of(
                "GATEHOUSE_ADMIN_TOKEN", ADMIN_TOKEN,
                "GATEHOUSE_RATE_LIMITS_POLICIES_DEFAULT", "1000000/1m",
                "GATEHOUSE_AGENT_RATE_LIMITS_ANONYMOUS_PER_ADDRESS", "1000000",
                "GATEHOUSE_AGENT_RATE_LIMITS_ANONYMOUS_OVERALL", "1000000",
                "GATEHOUSE_AGENT_CLAIM_LIMITS_MAILS_PER_ADDRESS", "1000000",
                // Retries close together, so a mail held back by the outage goes soon after SMTP returns.
                "GATEHOUSE_MAIL_SEND_INTERVAL", "500ms",
                "GATEHOUSE_MAIL_FIRST_BACKOFF", "1s",
                "GATEHOUSE_MAIL_LONGEST_BACKOFF", "2s");
        try (Cluster cluster = Cluster.builder().mail().node("a", environment).node("b", environment).start()) {
            List<Node> nodes = cluster.nodes();
            String clientId = createClient(nodes.getFirst());
            List<Worker> workers = new ArrayList<>();
            for (int i = 0; i < WORKERS; i++) {
                workers.add(new Worker(nodes.get(i % nodes.size()), nodes, clientId));
            }

            AtomicBoolean running = new AtomicBoolean(true);
            phase("steady");
            List<Thread> threads = workers.stream().map(worker -> Thread.ofPlatform().name("load-" + worker.node.name())
                    .start(() -> worker.run(running))).toList();
            try {
                pause(PHASE);
                phase("PostgreSQL down");
                cluster.stopPostgres();
                pause(PHASE);
                cluster.startPostgres();
                recovering("PostgreSQL back");
                pause(PHASE);
                Map<Operation, Long> postgresRecovery = recoveryTimes();

                phase("Redis down");
                cluster.stopRedis();
                pause(PHASE);
                cluster.startRedis();
                recovering("Redis back");
                pause(PHASE);
                Map<Operation, Long> redisRecovery = recoveryTimes();

                phase("SMTP down");
                cluster.stopMail();
                pause(PHASE);
                cluster.startMail();
                recovering("SMTP back");
                pause(PHASE);
                Map<Operation, Long> smtpRecovery = recoveryTimes();

                running.set(false);
                for (Thread thread : threads) {
                    thread.join(30_000);
                }
                Lost lost = nothingLost(cluster, nodes);
                Path report = report(Map.of("PostgreSQL", postgresRecovery, "Redis", redisRecovery, "SMTP", smtpRecovery), lost);
                System.out.println(Files.readString(report));
                judge(postgresRecovery, lost);
            } finally {
                running.set(false);
            }
        }
    }

    // --- the load ---------------------------------------------------------------------------------

    /** One caller: its own person, keys and refresh token, on one node (verifies go to both). */
    final class Worker {
        final Node node;
        final List<Node> nodes;
        final String clientId;
        final String session;
        final List<Node.Key> cachedKeys = new ArrayList<>();
        final List<Node.Key> mine = new ArrayList<>();
        String refreshToken;
        int turn;
        int minted;

        Worker(Node node, List<Node> nodes, String clientId) {
            this.node = node;
            this.nodes = nodes;
            this.clientId = clientId;
            this.session = node.signUp();
            for (int i = 0; i < 5; i++) {
                Node.Key key = node.mintKey(session);
                cachedKeys.add(key);
                for (Node each : nodes) {
                    assertEquals(200, each.me(key), "a key works on every node before the load starts");
                }
            }
            this.refreshToken = firstRefreshToken(node, session, clientId);
        }

        void run(AtomicBoolean running) {
            while (running.get()) {
                Operation operation = Operation.values()[turn++ % Operation.values().length];
                // Revoke every third round only, so minted keys pile up and there are some to revoke in an outage.
                if (operation == Operation.REVOKE && (mine.isEmpty() || turn / Operation.values().length % 3 != 0)) {
                    continue;
                }
                long started = System.nanoTime();
                String detail;
                Outcome outcome;
                try {
                    HttpResponse<String> answer = call(operation);
                    outcome = judge(operation, answer);
                    detail = operation + " " + answer.statusCode() + " " + abbreviate(answer.body());
                } catch (RuntimeException e) {
                    outcome = Outcome.WRONG;
                    detail = operation + " " + e;
                }
                long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
                current.get(operation).add(outcome, millis, detail);
                if (outcome == Outcome.OK && restartedAt != 0) {
                    firstSuccess.putIfAbsent(operation, System.nanoTime());
                }
                pause(Duration.ofMillis(40));
            }
        }

        private HttpResponse<String> call(Operation operation) {
            return switch (operation) {
                case VERIFY -> {
                    Node.Key key = cachedKeys.get(turn % cachedKeys.size());
                    yield nodes.get(turn % nodes.size()).send(HttpRequest.newBuilder(nodes.get(turn % nodes.size()).base().resolve("/v1/me"))
                            .header("Authorization", "Bearer " + key.raw()).GET());
                }
                case REFRESH -> {
                    HttpResponse<String> answer = node.send(form(node, "/oauth2/token", clientId,
                            Map.of("grant_type", "refresh_token", "refresh_token", refreshToken)));
                    if (answer.statusCode() == 200) {
                        refreshToken = Node.parse(answer.body()).path("refresh_token").asText();
                    }
                    yield answer;
                }
                case MINT -> {
                    HttpResponse<String> answer = node.send(HttpRequest.newBuilder(node.base().resolve("/settings/api-keys"))
                            .header("Content-Type", "application/json").header("Accept", "application/json")
                            .header("Cookie", session)
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    Node.json(Map.of("label", "under load", "scopes", List.of("profile:read"))))));
                    if (answer.statusCode() == 201) {
                        JsonNode body = Node.parse(answer.body());
                        Node.Key key = new Node.Key(body.path("id").asText(), body.path("rawKey").asText());
                        if (minted++ % 2 == 0) {
                            mine.add(key); // to be revoked; the others stay live, to be checked at the end
                        }
                        acknowledgedKeys.add(key);
                    }
                    yield answer;
                }
                case REVOKE -> {
                    Node.Key key = mine.removeFirst();
                    HttpResponse<String> answer = node.send(HttpRequest.newBuilder(node.base().resolve("/settings/api-keys/" + key.id()))
                            .header("Cookie", session).header("Accept", "application/json").DELETE());
                    if (answer.statusCode() == 204) {
                        acknowledgedRevocations.add(key);
                    } else {
                        mine.addFirst(key);
                    }
                    yield answer;
                }
                case CLAIM -> {
                    HttpResponse<String> registered = node.send(HttpRequest.newBuilder(node.base().resolve("/agent/auth"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(Node.json(Map.of("type", "anonymous")))));
                    if (registered.statusCode() != 200) {
                        yield registered;
                    }
                    String email = "claim-" + UUID.randomUUID() + "@example.test";
                    HttpResponse<String> answer = node.send(HttpRequest.newBuilder(node.base().resolve("/agent/auth/claim"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(Node.json(Map.of(
                                    "claim_token", Node.parse(registered.body()).path("claim_token").asText(), "email", email)))));
                    if (answer.statusCode() == 200) {
                        acknowledgedClaims.add(email);
                    }
                    yield answer;
                }
            };
        }

        private Outcome judge(Operation operation, HttpResponse<String> answer) {
            int expected = switch (operation) {
                case MINT -> 201;
                case REVOKE -> 204;
                default -> 200;
            };
            if (answer.statusCode() == expected) {
                return Outcome.OK;
            }
            boolean designed503 = answer.statusCode() == 503 && answer.headers().firstValue("Retry-After").isPresent()
                    && !answer.body().contains("Exception") && !answer.body().contains("SQL");
            return designed503 ? Outcome.UNAVAILABLE : Outcome.WRONG;
        }
    }

    // --- phases and results -----------------------------------------------------------------------

    private synchronized void phase(String name) {
        Map<Operation, Tally> tallies = new EnumMap<>(Operation.class);
        for (Operation operation : Operation.values()) {
            tallies.put(operation, new Tally());
        }
        phases.put(name, tallies);
        current = tallies;
    }

    private void recovering(String name) {
        firstSuccess.clear();
        restartedAt = System.nanoTime();
        phase(name);
    }

    /** Milliseconds from the dependency's restart to each operation's first success after it. */
    private Map<Operation, Long> recoveryTimes() {
        Map<Operation, Long> times = new EnumMap<>(Operation.class);
        for (Operation operation : Operation.values()) {
            Long at = firstSuccess.get(operation);
            times.put(operation, at == null ? -1 : Math.max(0, Duration.ofNanos(at - restartedAt).toMillis()));
        }
        restartedAt = 0;
        return times;
    }

    record Lost(int keys, int keysChecked, int revocations, int revocationsChecked, int mails, int mailsChecked, long mailDrainMillis) {
    }

    private Lost nothingLost(Cluster cluster, List<Node> nodes) {
        int lostKeys = 0;
        int lostRevocations = 0;
        var revoked = new java.util.HashSet<String>();
        acknowledgedRevocations.forEach(key -> revoked.add(key.id()));
        for (Node.Key key : acknowledgedKeys) {
            if (revoked.contains(key.id())) {
                continue;
            }
            for (Node node : nodes) {
                if (node.me(key) != 200) {
                    lostKeys++;
                }
            }
        }
        for (Node.Key key : acknowledgedRevocations) {
            for (Node node : nodes) {
                if (node.me(key) != 401) {
                    lostRevocations++;
                }
            }
        }
        long drainStarted = System.nanoTime();
        long deadline = drainStarted + Duration.ofSeconds(30).toNanos();
        List<String> missing;
        do {
            List<String> mailed = cluster.mailed();
            missing = acknowledgedClaims.stream().filter(email -> !mailed.contains(email)).toList();
            if (!missing.isEmpty()) {
                pause(Duration.ofMillis(200));
            }
        } while (!missing.isEmpty() && System.nanoTime() < deadline);
        return new Lost(lostKeys, acknowledgedKeys.size() - revoked.size(), lostRevocations, acknowledgedRevocations.size(),
                missing.size(), acknowledgedClaims.size(), Duration.ofNanos(System.nanoTime() - drainStarted).toMillis());
    }

    private Path report(Map<String, Map<Operation, Long>> recovery, Lost lost) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("Two nodes, ").append(WORKERS).append(" callers, each phase ").append(PHASE.toSeconds()).append(" s.\n\n");
        out.append("| phase | operation | requests | ok | 503 + Retry-After | wrong | slowest ms |\n|---|---|---|---|---|---|---|\n");
        phases.forEach((phase, tallies) -> tallies.forEach((operation, tally) -> out.append("| ").append(phase).append(" | ")
                .append(operation.name().toLowerCase()).append(" | ").append(tally.total()).append(" | ").append(tally.ok)
                .append(" | ").append(tally.unavailable).append(" | ").append(tally.wrong).append(" | ").append(tally.slowest)
                .append(" |\n")));
        out.append("\nMilliseconds from the restart to each operation's first success:\n\n| restarted | ");
        out.append(String.join(" | ", java.util.Arrays.stream(Operation.values()).map(o -> o.name().toLowerCase()).toList()));
        out.append(" |\n|---|---|---|---|---|---|\n");
        for (String dependency : List.of("PostgreSQL", "Redis", "SMTP")) {
            out.append("| ").append(dependency).append(" | ");
            out.append(String.join(" | ", recovery.get(dependency).values().stream().map(String::valueOf).toList())).append(" |\n");
        }
        out.append("\nAcknowledged and checked afterwards on both nodes: ").append(lost.keysChecked()).append(" live keys (")
                .append(lost.keys()).append(" failures), ").append(lost.revocationsChecked()).append(" revocations (")
                .append(lost.revocations()).append(" failures), ").append(lost.mailsChecked()).append(" claim mails (")
                .append(lost.mails()).append(" missing; all delivered ").append(lost.mailDrainMillis())
                .append(" ms after the load stopped).\n");
        for (var phase : phases.entrySet()) {
            for (var tally : phase.getValue().entrySet()) {
                for (String sample : tally.getValue().wrongSamples) {
                    out.append("\nwrong in ").append(phase.getKey()).append(": ").append(sample);
                }
            }
        }
        Path file = Path.of(System.getProperty("gatehouse.nodes.dir", "target/nodes"), "reliability.md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, out.toString());
        return file;
    }

    private void judge(Map<Operation, Long> postgresRecovery, Lost lost) {
        phases.forEach((phase, tallies) -> tallies.forEach((operation, tally) -> {
            assertEquals(0, tally.wrong, phase + ", " + operation + ": answers other than success or 503 " + tally.wrongSamples);
            assertTrue(tally.slowest < SLOW.toMillis(), phase + ", " + operation + ": slowest " + tally.slowest + " ms");
            assertTrue(tally.total() > 0, phase + ", " + operation + ": no requests");
            if (!phase.equals("PostgreSQL down") && !phase.equals("PostgreSQL back")) {
                assertEquals(0, tally.unavailable, phase + ", " + operation + ": no request fails because Redis or SMTP is gone");
            }
        }));
        Map<Operation, Tally> postgresDown = phases.get("PostgreSQL down");
        assertEquals(postgresDown.get(Operation.VERIFY).total(), postgresDown.get(Operation.VERIFY).ok,
                "cached verifies go on while PostgreSQL is down");
        for (Operation write : List.of(Operation.REFRESH, Operation.MINT, Operation.CLAIM)) {
            assertTrue(postgresDown.get(write).unavailable > 0, write + " is refused with 503 while PostgreSQL is down");
        }
        postgresRecovery.forEach((operation, millis) -> assertTrue(millis >= 0 && millis <= RECOVERY.toMillis(),
                operation + " works again " + millis + " ms after PostgreSQL returns"));
        assertEquals(0, lost.keys(), "every key answered 201 works on both nodes");
        assertEquals(0, lost.revocations(), "every revocation answered 204 holds on both nodes");
        assertEquals(0, lost.mails(), "every claim answered 200 had its mail delivered");
        assertTrue(lost.keysChecked() > 0 && lost.revocationsChecked() > 0 && lost.mailsChecked() > 0, lost.toString());
    }

    // --- set-up -----------------------------------------------------------------------------------

    /** A confidential client for refreshes, made through the admin API; answers its id (its secret is the id's twin). */
    private String createClient(Node node) {
        HttpResponse<String> answer = node.send(HttpRequest.newBuilder(node.base().resolve("/admin/clients"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Node.json(Map.of(
                        "client_name", "Fault test", "redirect_uris", List.of(REDIRECT),
                        "grant_types", List.of("authorization_code", "refresh_token"),
                        "token_endpoint_auth_method", "client_secret_basic", "scope", "profile:read offline_access",
                        "skip_consent", true)))));
        assertEquals(201, answer.statusCode(), answer.body());
        JsonNode client = Node.parse(answer.body());
        clientSecret = client.path("client_secret").asText();
        return client.path("client_id").asText();
    }

    private static volatile String clientSecret;

    private static String firstRefreshToken(Node node, String session, String clientId) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String challenge;
        try {
            challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String query = "response_type=code&client_id=" + encode(clientId) + "&redirect_uri=" + encode(REDIRECT)
                + "&scope=" + encode("profile:read offline_access") + "&state=s&code_challenge=" + challenge
                + "&code_challenge_method=S256";
        HttpResponse<String> authorized = node.send(HttpRequest.newBuilder(node.base().resolve("/oauth2/authorize?" + query))
                .header("Cookie", session).GET());
        assertEquals(303, authorized.statusCode(), authorized.body());
        String location = authorized.headers().firstValue("Location").orElseThrow();
        String code = null;
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            if (pair.startsWith("code=")) {
                code = java.net.URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
            }
        }
        HttpResponse<String> tokens = node.send(form(node, "/oauth2/token", clientId, Map.of("grant_type", "authorization_code",
                "code", code, "redirect_uri", REDIRECT, "code_verifier", verifier)));
        assertEquals(200, tokens.statusCode(), tokens.body());
        String refresh = Node.parse(tokens.body()).path("refresh_token").asText(null);
        assertTrue(refresh != null, "a refresh token with offline_access: " + tokens.body());
        return refresh;
    }

    private static HttpRequest.Builder form(Node node, String path, String clientId, Map<String, String> fields) {
        StringBuilder body = new StringBuilder();
        fields.forEach((name, value) -> body.append(body.isEmpty() ? "" : "&").append(encode(name)).append('=').append(encode(value)));
        String basic = Base64.getEncoder().encodeToString((encode(clientId) + ":" + encode(clientSecret)).getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(node.base().resolve(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + basic).POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
