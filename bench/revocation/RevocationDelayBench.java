import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Revocation delay across two Gatehouse nodes sharing one PostgreSQL and one Redis (bench/run-revocation.sh
 * starts them). JDK classes only; run with the source launcher:
 *
 * <pre>
 *   java bench/revocation/RevocationDelayBench.java http://127.0.0.1:PORT_A http://127.0.0.1:PORT_B
 *        [--phase=redis-up] [--revocations=200] [--warmup=20] [--poll-limit=10] [--phase-limit=300]
 * </pre>
 *
 * It signs up a random person on node A (cookie gatehouse_session; sessions are shared), then, for each
 * revocation, one after the other: mints a key on A (POST /settings/api-keys, profile:read), has both
 * nodes accept it (GET /v1/me, 200 on A and on B, so both have it cached), revokes it on A
 * (DELETE /settings/api-keys/{id}, 204) and, from the moment the DELETE answered, polls A and B at the
 * same time, each back to back as fast as it answers, until each answers 401. For each node the delay is
 * the time from the DELETE's answer to the arrival of that node's first 401. For A it also counts how
 * often the very first request after the DELETE was already refused (the promise: at once).
 *
 * --warmup revocations run first, unrecorded. A revocation fails when a step answers anything else, or a
 * node still accepts the key --poll-limit seconds after the DELETE; the phase stops early (and says so)
 * after --phase-limit seconds. Only loopback addresses are accepted. The key, the cookie and the email stay
 * in memory: nothing secret is printed.
 *
 * Prints a table and a summary-json line; exits 0 when every revocation succeeded, 1 when some failed
 * or the phase was cut short, 2 when it could not run.
 */
public class RevocationDelayBench {
    static final String PASSWORD = "correct horse battery staple";

    record Settings(URI a, URI b, String phase, int revocations, int warmup, Duration pollLimit, Duration phaseLimit) {
    }

    static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }

    /** One revocation: each node's delay (nanoseconds; -1 when never refused) and A's first answer. */
    record Sample(long aNanos, long bNanos, boolean aFirstRefused, int aRequests, int bRequests) {
    }

    private final Settings settings;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).followRedirects(HttpClient.Redirect.NEVER).build();
    private final ExecutorService pollers = Executors.newVirtualThreadPerTaskExecutor();
    private String session;

    RevocationDelayBench(Settings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) {
        Settings settings;
        try {
            settings = parse(args);
        } catch (Failure | RuntimeException e) {
            System.err.println("usage: java RevocationDelayBench.java http://127.0.0.1:PORT_A http://127.0.0.1:PORT_B "
                    + "[--phase=NAME] [--revocations=200] [--warmup=20] [--poll-limit=10] [--phase-limit=300]");
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        try {
            System.exit(new RevocationDelayBench(settings).run());
        } catch (Failure e) {
            System.err.println("could not run: " + e.getMessage());
            System.exit(2);
        }
    }

    static Settings parse(String[] args) throws Failure {
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=")) {
                options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            } else {
                positional.add(arg);
            }
        }
        if (positional.size() != 2) {
            throw new Failure("two base URLs are needed, node A's and node B's");
        }
        for (String known : options.keySet()) {
            if (!List.of("phase", "revocations", "warmup", "poll-limit", "phase-limit").contains(known)) {
                throw new Failure("unknown option --" + known);
            }
        }
        URI a = URI.create(positional.get(0));
        URI b = URI.create(positional.get(1));
        requireLoopback(a);
        requireLoopback(b);
        return new Settings(a, b, options.getOrDefault("phase", "run"),
                Integer.parseInt(options.getOrDefault("revocations", "200")),
                Integer.parseInt(options.getOrDefault("warmup", "20")),
                Duration.ofSeconds(Long.parseLong(options.getOrDefault("poll-limit", "10"))),
                Duration.ofSeconds(Long.parseLong(options.getOrDefault("phase-limit", "300"))));
    }

    private static void requireLoopback(URI base) throws Failure {
        if (!"http".equals(base.getScheme()) || base.getHost() == null) {
            throw new Failure("not an http URL: " + base);
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(base.getHost())) {
                if (!address.isLoopbackAddress()) {
                    throw new Failure("refusing " + base.getHost() + ": it is not a loopback address");
                }
            }
        } catch (IOException e) {
            throw new Failure("cannot resolve " + base.getHost());
        }
    }

    int run() throws Failure {
        signUp();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < settings.warmup(); i++) {
            revokeOnce(failures);
        }
        if (!failures.isEmpty()) {
            throw new Failure("the warm-up failed: " + failures.get(0));
        }
        List<Sample> samples = new ArrayList<>();
        long started = System.nanoTime();
        long phaseDeadline = started + settings.phaseLimit().toNanos();
        boolean cutShort = false;
        for (int i = 0; i < settings.revocations(); i++) {
            if (System.nanoTime() >= phaseDeadline) {
                cutShort = true;
                break;
            }
            Sample sample = revokeOnce(failures);
            if (sample != null) {
                samples.add(sample);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        report(samples, failures, seconds, cutShort);
        return failures.isEmpty() && !cutShort ? 0 : 1;
    }

    /** One measured revocation; null (and a line in {@code failures}) when a step failed. */
    private Sample revokeOnce(List<String> failures) {
        try {
            String[] key = mint();
            expect(me(settings.a(), key[1]), 200, "GET /v1/me on A before the revocation");
            expect(me(settings.b(), key[1]), 200, "GET /v1/me on B before the revocation");
            expect(me(settings.b(), key[1]), 200, "GET /v1/me on B before the revocation (cached)");
            int deleted = send(HttpRequest.newBuilder(settings.a().resolve("/settings/api-keys/" + key[0]))
                    .header("Cookie", session).header("Accept", "application/json").DELETE()).statusCode();
            long answered = System.nanoTime();
            expect(deleted, 204, "DELETE /settings/api-keys/{id} on A");
            CompletableFuture<long[]> onB = CompletableFuture.supplyAsync(() -> poll(settings.b(), key[1], answered), pollers);
            long[] onA = poll(settings.a(), key[1], answered);
            long[] b = onB.join();
            if (onA[0] < 0 || b[0] < 0) {
                failures.add((onA[0] < 0 ? "A" : "B") + " still accepted a revoked key " + settings.pollLimit().toSeconds()
                        + " s after the DELETE (or answered something else than 200/401)");
                return null;
            }
            return new Sample(onA[0], b[0], onA[1] == 1, (int) onA[1], (int) b[1]);
        } catch (Failure e) {
            failures.add(e.getMessage());
            return null;
        }
    }

    /** Polls back to back until 401: {nanoseconds from start to the 401 (or -1), requests}. */
    private long[] poll(URI node, String key, long start) {
        long deadline = start + settings.pollLimit().toNanos();
        long requests = 0;
        while (true) {
            int status;
            try {
                status = me(node, key);
            } catch (Failure e) {
                status = -1;
            }
            long now = System.nanoTime();
            requests++;
            if (status == 401) {
                return new long[] {now - start, requests};
            }
            if (status != 200 || now >= deadline) {
                return new long[] {-1, requests};
            }
        }
    }

    private void signUp() throws Failure {
        String email = "revocation-" + UUID.randomUUID() + "@example.test";
        HttpResponse<String> signup = send(HttpRequest.newBuilder(settings.a().resolve("/signup"))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}")));
        expect(signup.statusCode(), 201, "POST /signup");
        session = signup.headers().allValues("set-cookie").stream()
                .filter(cookie -> cookie.startsWith("gatehouse_session="))
                .map(cookie -> cookie.split(";", 2)[0])
                .findFirst().orElseThrow(() -> new Failure("POST /signup set no gatehouse_session cookie"));
    }

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern RAW_KEY = Pattern.compile("\"rawKey\"\\s*:\\s*\"([^\"]+)\"");

    /** {id, rawKey} of a new key minted on A. */
    private String[] mint() throws Failure {
        HttpResponse<String> mint = send(HttpRequest.newBuilder(settings.a().resolve("/settings/api-keys"))
                .header("Content-Type", "application/json").header("Accept", "application/json").header("Cookie", session)
                .POST(HttpRequest.BodyPublishers.ofString("{\"label\":\"revocation bench\",\"scopes\":[\"profile:read\"]}")));
        expect(mint.statusCode(), 201, "POST /settings/api-keys on A");
        Matcher id = ID.matcher(mint.body());
        Matcher raw = RAW_KEY.matcher(mint.body());
        if (!id.find() || !raw.find()) {
            throw new Failure("the answer to POST /settings/api-keys has no id or rawKey");
        }
        return new String[] {id.group(1), raw.group(1)};
    }

    private int me(URI node, String key) throws Failure {
        return send(HttpRequest.newBuilder(node.resolve("/v1/me")).header("Authorization", "Bearer " + key).GET()).statusCode();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Failure {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Failure("request failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted");
        }
    }

    private static void expect(int status, int expected, String what) throws Failure {
        if (status != expected) {
            throw new Failure(what + " answered " + status + ", not " + expected);
        }
    }

    private static void expect(HttpResponse<String> answer, int expected, String what) throws Failure {
        expect(answer.statusCode(), expected, what);
    }

    // --- Report -----------------------------------------------------------------------------------

    /** Nearest-rank percentile of sorted values, in milliseconds. */
    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    private void report(List<Sample> samples, List<String> failures, double seconds, boolean cutShort) {
        long[] a = samples.stream().mapToLong(Sample::aNanos).sorted().toArray();
        long[] b = samples.stream().mapToLong(Sample::bNanos).sorted().toArray();
        long aFirst = samples.stream().filter(Sample::aFirstRefused).count();
        double bRequests = samples.stream().mapToInt(Sample::bRequests).average().orElse(0);
        System.out.printf(Locale.ROOT, "phase %s: %d revocations measured in %.1f s (%d asked, %d warm-up), %d failed%s%n",
                settings.phase(), samples.size(), seconds, settings.revocations(), settings.warmup(), failures.size(),
                cutShort ? ", CUT SHORT by the " + settings.phaseLimit().toSeconds() + " s phase limit" : "");
        System.out.printf(Locale.ROOT, "%-28s %10s %10s %10s %10s%n", "delay until 401 (ms)", "p50", "p99", "max", "samples");
        System.out.printf(Locale.ROOT, "%-28s %10.2f %10.2f %10.2f %10d%n", settings.phase() + " A itself", percentile(a, 50),
                percentile(a, 99), percentile(a, 100), a.length);
        System.out.printf(Locale.ROOT, "%-28s %10.2f %10.2f %10.2f %10d%n", settings.phase() + " B", percentile(b, 50),
                percentile(b, 99), percentile(b, 100), b.length);
        System.out.printf(Locale.ROOT, "%s: A refused the very first request after the DELETE in %d of %d; B needed %.1f requests on average%n",
                settings.phase(), aFirst, samples.size(), bRequests);
        failures.stream().distinct().limit(5).forEach(failure -> System.out.println(settings.phase() + " failure: " + failure));
        System.out.printf(Locale.ROOT,
                "summary-json: {\"benchmark\":\"revocation-delay\",\"phase\":\"%s\",\"revocations\":%d,\"failed\":%d,\"cut_short\":%b,"
                        + "\"a_first_refused\":%d,\"a_p50_ms\":%.2f,\"a_p99_ms\":%.2f,\"a_max_ms\":%.2f,"
                        + "\"b_p50_ms\":%.2f,\"b_p99_ms\":%.2f,\"b_max_ms\":%.2f}%n",
                settings.phase(), samples.size(), failures.size(), cutShort, aFirst, percentile(a, 50), percentile(a, 99),
                percentile(a, 100), percentile(b, 50), percentile(b, 99), percentile(b, 100));
    }
}
