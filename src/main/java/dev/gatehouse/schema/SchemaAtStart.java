package dev.gatehouse.schema;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Enumeration;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

/**
 * Brings the schema up to date at start-up, before anything else starts (every other start-up observer and
 * {@code @Startup} bean comes after this one), as {@code quarkus.flyway.migrate-at-start} did: Flyway runs
 * when this build holds a migration that the database has not applied, or when anything is unusual (no
 * history table, a failed migration, a migration that is not a plain versioned one, migrations that cannot
 * be listed). A database that has applied every migration of this build is left alone after one query:
 * Flyway's set-up, validation and history reads were about a tenth of start-up on an up-to-date database
 * (issue 11, docs/benchmarks.md). What that skips is validation, which a node starting on a schema it knows
 * in full has nothing to learn from; the first node of a new build still runs Flyway, validation included.
 */
@ApplicationScoped
class SchemaAtStart {
    private static final Logger LOG = Logger.getLogger(SchemaAtStart.class);
    /** Flyway's default location and history table, which Gatehouse uses. */
    static final String LOCATION = "db/migration";
    static final String HISTORY = "flyway_schema_history";

    void migrate(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, AgroalDataSource dataSource,
            Instance<Flyway> flyway) {
        Set<String> local = localMigrations(Thread.currentThread().getContextClassLoader());
        if (upToDate(local, applied(dataSource))) {
            LOG.infof("Schema up to date: all %d migrations of this build are applied", local.size());
            return;
        }
        flyway.get().migrate();
    }

    /**
     * Whether Flyway would have nothing to do: every local migration is a versioned one ({@code V…__….sql})
     * that the history records as applied successfully ({@code applied} holds those scripts, or is null
     * when the history is missing, unreadable or records a failure).
     */
    static boolean upToDate(Set<String> local, Set<String> applied) {
        return applied != null && !local.isEmpty() && local.stream().allMatch(name -> name.matches("V[^_]+__.+\\.sql"))
                && applied.containsAll(local);
    }

    /**
     * The file names of the history's scripts (Flyway records them with their location, {@code db/migration/V1__….sql}),
     * all applied successfully; null when there is no history or a migration failed.
     */
    static Set<String> applied(AgroalDataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return applied(connection);
        } catch (SQLException e) {
            return null; // PostgreSQL not answering: Flyway says so
        }
    }

    static Set<String> applied(Connection connection) {
        Set<String> scripts = new TreeSet<>();
        try (Statement statement = connection.createStatement()) {
            try (ResultSet exists = statement.executeQuery("select to_regclass('" + HISTORY + "') is not null")) {
                if (!exists.next() || !exists.getBoolean(1)) {
                    return null; // no history table yet: Flyway makes one
                }
            }
            try (ResultSet rows = statement.executeQuery("select script, success from " + HISTORY)) {
                while (rows.next()) {
                    if (!rows.getBoolean(2)) {
                        return null; // Flyway reports what to do about a failed migration
                    }
                    String script = rows.getString(1);
                    scripts.add(script.substring(script.lastIndexOf('/') + 1));
                }
            }
            return scripts;
        } catch (SQLException e) {
            return null; // Flyway says what is wrong
        }
    }

    /**
     * The file names under {@value #LOCATION} on the class path (a jar, or a directory in dev and tests); empty
     * when they cannot be listed (then Flyway runs).
     */
    static Set<String> localMigrations(ClassLoader loader) {
        Set<String> names = new TreeSet<>();
        try {
            Enumeration<URL> roots = loader.getResources(LOCATION);
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                switch (root.getProtocol()) {
                    case "jar" -> {
                        String spec = root.getPath(); // file:/…/app.jar!/db/migration
                        try (JarFile jar = new JarFile(Path.of(new URI(spec.substring(0, spec.indexOf("!/")))).toFile())) {
                            jar.stream().map(JarEntry::getName)
                                    .filter(name -> name.startsWith(LOCATION + "/") && name.length() > LOCATION.length() + 1 && !name.endsWith("/"))
                                    .forEach(name -> names.add(name.substring(LOCATION.length() + 1)));
                        }
                    }
                    case "file" -> {
                        try (Stream<Path> files = Files.list(Path.of(root.toURI()))) {
                            files.filter(Files::isRegularFile).forEach(file -> names.add(file.getFileName().toString()));
                        }
                    }
                    default -> {
                        return Set.of();
                    }
                }
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return Set.of();
        }
        return names;
    }
}
