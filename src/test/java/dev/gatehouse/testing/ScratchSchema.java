package dev.gatehouse.testing;

import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;

/**
 * A schema of its own in the test database, for a migration test: migrated to an older version, given rows as
 * that version held them, migrated on, and dropped. The application's own schema is never touched.
 */
public final class ScratchSchema implements AutoCloseable {
    /** Statements run with the scratch schema first on the search path. */
    public interface Rows {
        void insert(Statement sql) throws SQLException;
    }

    private final AgroalDataSource database;
    private final String schema;

    public ScratchSchema(AgroalDataSource database, String schema) {
        this.database = database;
        this.schema = schema;
    }

    /** Runs the migrations up to {@code version} in the scratch schema. */
    public void migrateTo(String version) {
        Flyway.configure().dataSource(database).schemas(schema).createSchemas(true).locations("classpath:db/migration").target(version)
                .load().migrate();
    }

    public void insert(Rows rows) throws SQLException {
        try (Connection connection = database.getConnection(); Statement sql = connection.createStatement()) {
            // The connection goes back to the application's pool: its search path must not stay on this schema.
            sql.execute("set search_path to " + schema);
            try {
                rows.insert(sql);
            } finally {
                sql.execute("reset search_path");
            }
        }
    }

    /** {@code select count(*) from <table> …}, the tables taken from the scratch schema. */
    public long count(String sql, Object... parameters) throws SQLException {
        return Database.count(database, sql.replace(" from ", " from " + schema + "."), parameters);
    }

    public String name() {
        return schema;
    }

    @Override
    public void close() throws SQLException {
        try (Connection connection = database.getConnection(); Statement drop = connection.createStatement()) {
            drop.execute("drop schema if exists " + schema + " cascade");
        }
    }
}
