package dev.gatehouse.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migrations at start-up: Flyway has applied every migration of the build (names as its history records
 * them), and a start on such a database would skip it; anything unusual runs Flyway.
 */
@QuarkusTest
class SchemaAtStartTest {
    @Inject
    AgroalDataSource database;

    @Test
    void theStartAppliedEveryMigrationOfTheBuildSoTheNextStartSkipsFlyway() {
        Set<String> local = SchemaAtStart.localMigrations(Thread.currentThread().getContextClassLoader());
        assertTrue(local.contains("V1__accounts_and_tokens.sql"), local.toString());
        assertTrue(local.size() >= 17, local.toString());
        Set<String> applied = SchemaAtStart.applied(database);
        assertNotNull(applied, "the history is readable and records no failure");
        assertTrue(applied.containsAll(local), "applied " + applied + ", local " + local);
        assertTrue(SchemaAtStart.upToDate(local, applied));
    }

    @Test
    void aMigrationTheDatabaseHasNotAppliedRunsFlyway() {
        assertFalse(SchemaAtStart.upToDate(Set.of("V1__a.sql", "V2__b.sql"), Set.of("V1__a.sql")));
        assertTrue(SchemaAtStart.upToDate(Set.of("V1__a.sql"), Set.of("V1__a.sql", "V2__b.sql")), "a newer database is one an older node may run on, as with Flyway's ignored future migrations");
    }

    @Test
    void anythingUnusualRunsFlyway() {
        assertFalse(SchemaAtStart.upToDate(Set.of("V1__a.sql"), null), "no history, or a failed migration");
        assertFalse(SchemaAtStart.upToDate(Set.of(), Set.of("V1__a.sql")), "migrations that could not be listed");
        assertFalse(SchemaAtStart.upToDate(Set.of("V1__a.sql", "R__views.sql"), Set.of("V1__a.sql", "R__views.sql")),
                "a repeatable migration is re-applied when it changes, which only Flyway can tell");
    }

    @Test
    void aFailedMigrationOrNoHistoryRunsFlyway() throws Exception {
        // A temporary table comes first in PostgreSQL's search path: on this connection it stands for the history.
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("create temporary table " + SchemaAtStart.HISTORY + " (script text, success boolean)");
            statement.execute("insert into " + SchemaAtStart.HISTORY + " values ('db/migration/V1__a.sql', true), ('V2__b.sql', true)");
            assertEquals(Set.of("V1__a.sql", "V2__b.sql"), SchemaAtStart.applied(connection), "file names, whatever the location");
            statement.execute("insert into " + SchemaAtStart.HISTORY + " values ('V3__c.sql', false)");
            assertNull(SchemaAtStart.applied(connection), "a failed migration is for Flyway to report");
            statement.execute("drop table pg_temp." + SchemaAtStart.HISTORY);
            statement.execute("set search_path to pg_catalog");
            assertNull(SchemaAtStart.applied(connection), "no history table: Flyway makes one");
            statement.execute("reset search_path");
        }
    }

    @Test
    void listsTheMigrationsInAJar(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("app.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String name : new String[] { "db/", "db/migration/", "db/migration/V1__a.sql", "db/migration/V2__b.sql", "other/V3__c.sql" }) {
                out.putNextEntry(new JarEntry(name));
                if (!name.endsWith("/")) {
                    out.write("select 1;".getBytes());
                }
                out.closeEntry();
            }
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] { jar.toUri().toURL() }, null)) {
            assertEquals(Set.of("V1__a.sql", "V2__b.sql"), SchemaAtStart.localMigrations(loader));
        }
        try (URLClassLoader none = new URLClassLoader(new URL[0], null)) {
            assertEquals(Set.of(), SchemaAtStart.localMigrations(none));
        }
    }
}
