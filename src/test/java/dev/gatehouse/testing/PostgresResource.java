package dev.gatehouse.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A real PostgreSQL for every test, started once per JVM (no Docker): test profiles restart Quarkus,
 * not the database, and each test makes its own accounts so they never collide.
 */
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
public class PostgresResource implements QuarkusTestResourceLifecycleManager {
    private static EmbeddedPostgres postgres;
    /** Fixed for the JVM's life, so that a stopped PostgreSQL comes back where the application looks for it. */
    private static int port;
    private static java.nio.file.Path dataDirectory;

    static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                port = socket.getLocalPort();
                dataDirectory = java.nio.file.Files.createTempDirectory("gatehouse-test-postgres");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            postgres = startOn();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stopNow();
                deleteDataDirectory();
            }));
        }
        return postgres;
    }

    /** Initialises the data directory the first time; never cleans it on stop, so a restart keeps the data. */
    private static EmbeddedPostgres startOn() {
        try {
            return EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDirectory).setCleanDataDirectory(false).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops PostgreSQL, as an outage would: connections drop, new ones are refused. Its data stays. */
    public static synchronized void stopNow() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException ignored) {
                // already gone
            }
            postgres = null;
        }
    }

    private static void deleteDataDirectory() {
        try (var paths = java.nio.file.Files.walk(dataDirectory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // the JVM is going away; a temporary directory is left at worst
        }
    }

    /** Starts the stopped PostgreSQL again, on the same port, with the same data. */
    public static synchronized void startAgain() {
        if (postgres == null) {
            postgres = startOn();
        }
    }

    @Override
    public Map<String, String> start() {
        return Map.of(
                "quarkus.datasource.jdbc.url", postgres().getJdbcUrl("postgres", "postgres"),
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres");
    }

    @Override
    public void stop() {
        // Kept for the next Quarkus start in this JVM; closed at JVM exit.
    }
}
