import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load generator for Gatehouse's OAuth token endpoint and introspection, against one running server
 * started with GATEHOUSE_DEMO_ENABLED=true and GATEHOUSE_OAUTH_DASHBOARD_REDIRECT_URIS=http://127.0.0.1/callback
 * (bench/run-oauth.sh does that). JDK classes only; run with the source launcher:
 *
 * <pre>
 *   java bench/oauth/TokenEndpointBench.java http://127.0.0.1:PORT [--requests=2000] [--concurrency=16]
 *        [--warmup=200] [--code-batch=500] [--request-timeout=10] [--phase-limit=180]
 * </pre>
 *
 * It signs up a random person (cookie gatehouse_session), mints an API key (profile:read), then, after an
 * unrecorded warm-up of every operation, sends a fixed number of requests per operation from a fixed
 * number of concurrent workers (closed loop: each worker sends its next request when the last one is
 * answered), one operation after the other:
 *
 * <ol>
 * <li>POST /oauth2/token grant_type=authorization_code (public client gatehouse-dashboard, PKCE S256).
 *     Codes are single use and live 60 s: they are prepared with GET /oauth2/authorize in batches of
 *     --code-batch, untimed, and each batch is exchanged right after it was prepared; the row adds up the
 *     exchange batches only.</li>
 * <li>POST /oauth2/token grant_type=refresh_token: each refresh token from step 1 used exactly once
 *     (a reused one would revoke its family).</li>
 * <li>POST /oauth2/token grant_type=client_credentials (confidential client demo-app, HTTP Basic,
 *     scope profile:read).</li>
 * <li>POST /oauth2/introspect (demo-app, Basic) of the access tokens (JWTs) from step 2, each once.</li>
 * <li>POST /oauth2/introspect of the API key, every time.</li>
 * </ol>
 *
 * A request fails unless it answers with the expected status and body (tokens present; introspection
 * "active":true: an inactive answer is cheaper and would flatter the figure). Prints a table, a
 * machine-readable line starting with "summary-json: ", and exits 1 if any request failed (2 when it
 * could not start). Only loopback addresses are accepted. Tokens, keys, codes and cookies stay in memory
 * and are never printed: failures are described by HTTP status and OAuth error code only.
 *
 * Environment: BENCH_CLIENT_SECRET, the secret of demo-app (default: the demo seed's).
 */
public final class TokenEndpointBench {
    private static final String DASHBOARD = "gatehouse-dashboard";
    private static final String DEMO_CLIENT = "demo-app";
    private static final String DEMO_SECRET = "demo-app-secret-change-me";
    private static final String REDIRECT = "http://127.0.0.1/callback";
    private static final String SCOPE = "profile:read";
    private static final String STATE = "s";
    /** Code lifetime on the server is 60 s: a batch must be prepared well within it. */
    private static final Duration CODE_PREPARATION_LIMIT = Duration.ofSeconds(30);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<String, Pattern> FIELDS = new ConcurrentHashMap<>();
    private static final Pattern ERROR_CODE = Pattern.compile("\"error\"\\s*:\\s*\"([a-z_]{1,40})\"");

    /** Thrown when the benchmark cannot go on; its message never holds a secret. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }
    }

    /** One request of an operation; answers null on success, else a short description of the failure. */
    @FunctionalInterface
    interface Call {
        String run(int index) throws Exception;
    }

    /** The measurements of one operation (possibly several runs added up, e.g. code batches). */
    static final class Phase {
        final String name;
        long[] latencies = new long[0];
        long wallNanos;
        final Map<String, Long> errors = new TreeMap<>();

        Phase(String name) {
            this.name = name;
        }

        int count() {
            return latencies.length;
        }

        long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }

        void add(Phase other) {
            long[] merged = Arrays.copyOf(latencies, latencies.length + other.latencies.length);
            System.arraycopy(other.latencies, 0, merged, latencies.length, other.latencies.length);
            latencies = merged;
            wallNanos += other.wallNanos;
            other.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
        }

        double rps() {
            return wallNanos == 0 ? 0 : count() / (wallNanos / 1e9);
        }

        /** Nearest-rank percentile in milliseconds. */
        double percentileMs(double p) {
            if (latencies.length == 0) {
                return Double.NaN;
            }
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
        }
    }

    private final URI base;
    private final int requests;
    private final int concurrency;
    private final int warmup;
    private final int codeBatch;
    private final Duration requestTimeout;
    private final Duration phaseLimit;
    private final String basicDemo;
    private final HttpClient http;
    private String sessionCookie;
    private String apiKey;
    private double maxCodeAgeSeconds;
    private double maxCodePreparationSeconds;

    private TokenEndpointBench(URI base, int requests, int concurrency, int warmup, int codeBatch, Duration requestTimeout,
            Duration phaseLimit, String secret) {
        this.base = base;
        this.requests = requests;
        this.concurrency = concurrency;
        this.warmup = warmup;
        this.codeBatch = codeBatch;
        this.requestTimeout = requestTimeout;
        this.phaseLimit = phaseLimit;
        String pair = URLEncoder.encode(DEMO_CLIENT, StandardCharsets.UTF_8) + ":" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        this.basicDemo = "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    public static void main(String[] args) {
        Map<String, String> options = new HashMap<>();
        String baseArg = null;
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=")) {
                options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            } else if (baseArg == null && !arg.startsWith("--")) {
                baseArg = arg;
            } else {
                usage("unexpected argument " + arg);
            }
        }
        if (baseArg == null) {
            usage("the base URL is required");
        }
        for (String name : options.keySet()) {
            if (!List.of("requests", "concurrency", "warmup", "code-batch", "request-timeout", "phase-limit").contains(name)) {
                usage("unknown option --" + name);
            }
        }
        URI base = URI.create(baseArg.endsWith("/") ? baseArg.substring(0, baseArg.length() - 1) : baseArg);
        try {
            requireLoopback(base);
            String secret = System.getenv().getOrDefault("BENCH_CLIENT_SECRET", DEMO_SECRET);
            TokenEndpointBench bench = new TokenEndpointBench(base,
                    positive(options, "requests", 2000), positive(options, "concurrency", 16),
                    nonNegative(options, "warmup", 200), positive(options, "code-batch", 500),
                    Duration.ofSeconds(positive(options, "request-timeout", 10)),
                    Duration.ofSeconds(positive(options, "phase-limit", 180)), secret);
            System.exit(bench.run());
        } catch (Failure failure) {
            System.err.println("TokenEndpointBench: " + failure.getMessage());
            System.exit(2);
        }
    }

    private static void usage(String problem) {
        System.err.println("TokenEndpointBench: " + problem);
        System.err.println("usage: java TokenEndpointBench.java http://127.0.0.1:PORT [--requests=N] [--concurrency=N]"
                + " [--warmup=N] [--code-batch=N] [--request-timeout=S] [--phase-limit=S]");
        System.exit(2);
    }

    private static int positive(Map<String, String> options, String name, int fallback) {
        int value = nonNegative(options, name, fallback);
        if (value == 0) {
            usage("--" + name + " must be at least 1");
        }
        return value;
    }

    private static int nonNegative(Map<String, String> options, String name, int fallback) {
        String raw = options.get(name);
        if (raw == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // below
        }
        usage("--" + name + " must be a whole number, not " + raw);
        return fallback;
    }

    private static void requireLoopback(URI base) throws Failure {
        if (!"http".equals(base.getScheme()) || base.getHost() == null || base.getPort() < 0) {
            throw new Failure("the base URL must look like http://127.0.0.1:PORT, not " + base);
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(base.getHost())) {
                if (!address.isLoopbackAddress()) {
                    throw new Failure("refusing " + base.getHost() + ": it is not a loopback address");
                }
            }
        } catch (java.net.UnknownHostException e) {
            throw new Failure("unknown host " + base.getHost());
        }
    }

    // --- The run -------------------------------------------------------------------------------------

    private int run() throws Failure {
        System.out.printf(Locale.ROOT, "# TokenEndpointBench: %s, %d requests per operation, concurrency %d, warm-up %d per operation,"
                + " code batches of %d, request timeout %ds, phase limit %ds%n",
                base, requests, concurrency, warmup, codeBatch, requestTimeout.toSeconds(), phaseLimit.toSeconds());
        System.out.printf(Locale.ROOT, "# client: %s %s, %d processors%n", System.getProperty("java.vm.name"),
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        setUp();

        if (warmup > 0) {
            progress("warm-up: %d requests of each operation (not recorded)", warmup);
            List<Phase> warm = measureAll(warmup);
            long failed = warm.stream().mapToLong(Phase::errorCount).sum();
            if (failed > 0) {
                printTable("warm-up (not recorded)", warm);
                throw new Failure(failed + " warm-up requests failed (see above): not measuring");
            }
        }
        maxCodeAgeSeconds = 0;
        maxCodePreparationSeconds = 0;
        progress("measuring: %d requests of each operation", requests);
        List<Phase> phases = measureAll(requests);

        printTable("results", phases);
        System.out.printf(Locale.ROOT, "code batches: at most %.1f s to prepare one, oldest code %.1f s old when exchanged (lifetime 60 s)%n",
                maxCodePreparationSeconds, maxCodeAgeSeconds);
        long failed = phases.stream().mapToLong(Phase::errorCount).sum();
        for (Phase phase : phases) {
            phase.errors.forEach((what, n) -> System.out.printf(Locale.ROOT, "errors in %s: %d x %s%n", phase.name, n, what));
        }
        System.out.println("summary-json: " + json(phases, failed));
        if (failed > 0) {
            System.out.printf(Locale.ROOT, "verdict: INVALID: %d requests failed%n", failed);
            return 1;
        }
        System.out.println("verdict: OK: no request failed");
        return 0;
    }

    /** All five operations, n requests each, in order; later ones use what earlier ones issued. */
    private List<Phase> measureAll(int n) throws Failure {
        String[] refreshTokens = new String[n];
        String[] accessTokens = new String[n];
        Phase code = exchangeCodes(n, refreshTokens);
        Phase refresh = measure("token refresh_token", n, i -> {
            if (refreshTokens[i] == null) {
                return "no refresh token (its code exchange failed)";
            }
            HttpResponse<String> answer = post("/oauth2/token", form("grant_type", "refresh_token",
                    "refresh_token", refreshTokens[i], "client_id", DASHBOARD), null);
            refreshTokens[i] = null;
            String problem = expect(answer, 200);
            if (problem != null) {
                return problem;
            }
            accessTokens[i] = field(answer.body(), "access_token");
            return accessTokens[i] == null || field(answer.body(), "refresh_token") == null ? "200 without access and refresh token" : null;
        });
        Phase clientCredentials = measure("token client_credentials", n, i -> {
            HttpResponse<String> answer = post("/oauth2/token", form("grant_type", "client_credentials", "scope", SCOPE), basicDemo);
            String problem = expect(answer, 200);
            if (problem != null) {
                return problem;
            }
            return field(answer.body(), "access_token") == null ? "200 without access token" : null;
        });
        Phase introspectAccess = measure("introspect access token", n, i -> {
            if (accessTokens[i] == null) {
                return "no access token (its refresh failed)";
            }
            String token = accessTokens[i];
            accessTokens[i] = null;
            return introspect(token);
        });
        Phase introspectKey = measure("introspect API key", n, i -> introspect(apiKey));
        return List.of(code, refresh, clientCredentials, introspectAccess, introspectKey);
    }

    /** Prepares codes batch by batch (untimed) and times only their exchange. */
    private Phase exchangeCodes(int n, String[] refreshTokens) throws Failure {
        Phase total = new Phase("token authorization_code");
        for (int start = 0; start < n; start += codeBatch) {
            int size = Math.min(codeBatch, n - start);
            int offset = start;
            String[] verifiers = new String[size];
            String[] codes = new String[size];
            long prepared = System.nanoTime();
            Phase preparation = run("prepare codes", size, CODE_PREPARATION_LIMIT, i -> {
                verifiers[i] = verifier();
                codes[i] = authorize(challenge(verifiers[i]));
                return null;
            });
            double preparationSeconds = (System.nanoTime() - prepared) / 1e9;
            maxCodePreparationSeconds = Math.max(maxCodePreparationSeconds, preparationSeconds);
            if (preparation.errorCount() > 0) {
                throw new Failure("preparing " + size + " codes failed: " + preparation.errors
                        + (preparationSeconds >= CODE_PREPARATION_LIMIT.toSeconds() ? " (lower --code-batch)" : ""));
            }
            Phase batch = measure(total.name, size, i -> {
                HttpResponse<String> answer = post("/oauth2/token", form("grant_type", "authorization_code", "code", codes[i],
                        "redirect_uri", REDIRECT, "code_verifier", verifiers[i], "client_id", DASHBOARD), null);
                codes[i] = null;
                String problem = expect(answer, 200);
                if (problem != null) {
                    return problem;
                }
                refreshTokens[offset + i] = field(answer.body(), "refresh_token");
                return refreshTokens[offset + i] == null || field(answer.body(), "access_token") == null
                        ? "200 without access and refresh token" : null;
            });
            maxCodeAgeSeconds = Math.max(maxCodeAgeSeconds, (System.nanoTime() - prepared) / 1e9);
            total.add(batch);
        }
        return total;
    }

    private String introspect(String token) throws IOException, InterruptedException {
        HttpResponse<String> answer = post("/oauth2/introspect", form("token", token), basicDemo);
        String problem = expect(answer, 200);
        if (problem != null) {
            return problem;
        }
        return answer.body().matches("(?s)\\{\\s*\"active\"\\s*:\\s*true\\b.*") ? null : "200 but not active";
    }

    // --- Set-up: a person, a session and an API key --------------------------------------------------

    private void setUp() throws Failure {
        try {
            String email = "bench-oauth-" + Long.toHexString(RANDOM.nextLong()) + "@example.test";
            String password = Long.toHexString(RANDOM.nextLong()) + Long.toHexString(RANDOM.nextLong()) + "Aa1!";
            HttpResponse<String> signup = send(HttpRequest.newBuilder(base.resolve("/signup"))
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}")));
            if (signup.statusCode() != 201) {
                throw new Failure("POST /signup answered " + signup.statusCode() + ", not 201");
            }
            sessionCookie = signup.headers().allValues("set-cookie").stream()
                    .filter(cookie -> cookie.startsWith("gatehouse_session="))
                    .map(cookie -> cookie.split(";", 2)[0])
                    .findFirst().orElseThrow(() -> new Failure("POST /signup set no gatehouse_session cookie"));

            HttpResponse<String> mint = send(HttpRequest.newBuilder(base.resolve("/settings/api-keys"))
                    .header("Content-Type", "application/json").header("Accept", "application/json").header("Cookie", sessionCookie)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"label\":\"bench-oauth\",\"scopes\":[\"" + SCOPE + "\"]}")));
            if (mint.statusCode() != 201) {
                throw new Failure("POST /settings/api-keys answered " + mint.statusCode() + ", not 201");
            }
            apiKey = field(mint.body(), "rawKey");
            if (apiKey == null) {
                throw new Failure("the answer to POST /settings/api-keys has no rawKey");
            }

            // One of each, so that a wrong set-up says what is wrong before any load.
            String verifier = verifier();
            authorize(challenge(verifier));
            HttpResponse<String> cc = post("/oauth2/token", form("grant_type", "client_credentials", "scope", SCOPE), basicDemo);
            if (cc.statusCode() != 200) {
                throw new Failure("client_credentials for " + DEMO_CLIENT + " answered " + describe(cc)
                        + ": is the server started with GATEHOUSE_DEMO_ENABLED=true (and BENCH_CLIENT_SECRET right)?");
            }
            String keyCheck = introspect(apiKey);
            if (keyCheck != null) {
                throw new Failure("introspecting the new API key: " + keyCheck);
            }
        } catch (IOException e) {
            throw new Failure("set-up request failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted");
        } catch (CodeFailure e) {
            throw new Failure("GET /oauth2/authorize: " + e.getMessage());
        }
    }

    /** A failed authorization request (unchecked so it can leave a Call). */
    static final class CodeFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CodeFailure(String message) {
            super(message, null, false, false);
        }
    }

    /** GET /oauth2/authorize as the signed-in person, for the dashboard; answers the code of the 303. */
    private String authorize(String challenge) throws IOException, InterruptedException {
        String query = form("response_type", "code", "client_id", DASHBOARD, "redirect_uri", REDIRECT, "scope", SCOPE,
                "state", STATE, "code_challenge", challenge, "code_challenge_method", "S256");
        HttpResponse<String> answer = send(HttpRequest.newBuilder(base.resolve("/oauth2/authorize?" + query))
                .header("Cookie", sessionCookie).GET());
        if (answer.statusCode() != 303) {
            throw new CodeFailure("answered " + answer.statusCode() + ", not 303"
                    + (answer.statusCode() == 400 ? " (is GATEHOUSE_OAUTH_DASHBOARD_REDIRECT_URIS=" + REDIRECT + " set on the server?)" : ""));
        }
        String location = answer.headers().firstValue("location").orElse("");
        if (!location.startsWith(REDIRECT + "?")) {
            throw new CodeFailure("redirected somewhere other than " + REDIRECT);
        }
        Map<String, String> back = new HashMap<>();
        for (String pair : location.substring(location.indexOf('?') + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                back.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        if (back.containsKey("error")) {
            throw new CodeFailure("redirected with error " + back.get("error").replaceAll("[^a-z_]", ""));
        }
        if (!STATE.equals(back.get("state")) || back.get("code") == null) {
            throw new CodeFailure("the redirect carries no code or the wrong state");
        }
        return back.get("code");
    }

    // --- Running requests ----------------------------------------------------------------------------

    private Phase measure(String name, int n, Call call) {
        Phase phase = run(name, n, phaseLimit, call);
        progress("%s: %d requests in %.2f s, %d failed", name, n, phase.wallNanos / 1e9, phase.errorCount());
        return phase;
    }

    /**
     * Sends n requests from {@code concurrency} virtual threads, each taking the next index when its last
     * request is answered. Nothing new starts after the time limit: what is left counts as failed.
     */
    private Phase run(String name, int n, Duration limit, Call call) {
        long[] latencies = new long[n];
        AtomicInteger next = new AtomicInteger();
        ConcurrentHashMap<String, LongAdder> errors = new ConcurrentHashMap<>();
        long started = System.nanoTime();
        long deadline = started + limit.toNanos();
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < Math.min(concurrency, n); w++) {
                workers.submit(() -> {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        if (System.nanoTime() - deadline > 0) {
                            errors.computeIfAbsent("not sent: phase time limit " + limit.toSeconds() + " s reached", k -> new LongAdder()).increment();
                            continue;
                        }
                        long sent = System.nanoTime();
                        String problem;
                        try {
                            problem = call.run(i);
                        } catch (HttpTimeoutException e) {
                            problem = "timed out after " + requestTimeout.toSeconds() + " s";
                        } catch (CodeFailure e) {
                            problem = e.getMessage();
                        } catch (IOException e) {
                            problem = "I/O error " + e.getClass().getSimpleName();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            problem = "interrupted";
                        } catch (Exception e) {
                            problem = "client error " + e.getClass().getSimpleName();
                        }
                        latencies[i] = System.nanoTime() - sent;
                        if (problem != null) {
                            errors.computeIfAbsent(problem, k -> new LongAdder()).increment();
                        }
                    }
                });
            }
        }
        Phase phase = new Phase(name);
        phase.latencies = latencies;
        phase.wallNanos = System.nanoTime() - started;
        errors.forEach((what, count) -> phase.errors.put(what, count.sum()));
        return phase;
    }

    private HttpResponse<String> post(String path, String body, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(requestTimeout).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Null when the status is the expected one, else "HTTP status [oauth error code]". */
    private static String expect(HttpResponse<String> answer, int status) {
        return answer.statusCode() == status ? null : describe(answer);
    }

    private static String describe(HttpResponse<String> answer) {
        Matcher error = ERROR_CODE.matcher(answer.body() == null ? "" : answer.body());
        return "HTTP " + answer.statusCode() + (error.find() ? " " + error.group(1) : "");
    }

    private static String form(String... pairs) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            if (i > 0) {
                body.append('&');
            }
            body.append(pairs[i]).append('=').append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return body.toString();
    }

    /** A string field of a flat JSON answer (tokens have no escapes), or null. */
    private static String field(String json, String name) {
        Matcher m = FIELDS.computeIfAbsent(name, key -> Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\"([^\"\\\\]+)\""))
                .matcher(json == null ? "" : json);
        return m.find() ? m.group(1) : null;
    }

    private static String verifier() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String challenge(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- Output --------------------------------------------------------------------------------------

    private void printTable(String title, List<Phase> phases) {
        System.out.println();
        System.out.println("=== " + title + " ===");
        System.out.printf(Locale.ROOT, "%-26s %9s %12s %12s %9s %9s %9s %9s %7s%n",
                "operation", "requests", "concurrency", "requests/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors");
        for (Phase p : phases) {
            System.out.printf(Locale.ROOT, "%-26s %9d %12d %12.1f %9.2f %9.2f %9.2f %9.2f %7d%n",
                    p.name, p.count(), concurrency, p.rps(), p.percentileMs(50), p.percentileMs(90), p.percentileMs(99),
                    p.percentileMs(100), p.errorCount());
        }
    }

    private String json(List<Phase> phases, long failed) {
        List<String> rows = new ArrayList<>();
        for (Phase p : phases) {
            rows.add(String.format(Locale.ROOT,
                    "{\"operation\":\"%s\",\"requests\":%d,\"errors\":%d,\"seconds\":%.3f,\"rps\":%.1f,"
                            + "\"p50_ms\":%.2f,\"p90_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f}",
                    p.name.replace(' ', '_'), p.count(), p.errorCount(), p.wallNanos / 1e9, p.rps(),
                    p.percentileMs(50), p.percentileMs(90), p.percentileMs(99), p.percentileMs(100)));
        }
        return String.format(Locale.ROOT,
                "{\"benchmark\":\"oauth-token-endpoint\",\"concurrency\":%d,\"requests_per_operation\":%d,\"warmup_per_operation\":%d,"
                        + "\"code_batch\":%d,\"max_code_age_s\":%.1f,\"failed\":%d,\"results\":[%s]}",
                concurrency, requests, warmup, codeBatch, maxCodeAgeSeconds, failed, String.join(",", rows));
    }

    private static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[oauth-bench] " + format + "%n", args);
    }
}
