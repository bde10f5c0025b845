package dev.gatehouse.db;

import dev.gatehouse.outcome.StoreUnavailable;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Plain SQL against PostgreSQL, in the caller's transaction when there is one: Agroal hands out the
 * connection the transaction already holds, so statements made here and anywhere else in it commit or
 * roll back together. No ORM: each store reads rows into its own records, with the columns it names
 * (issue 11: Hibernate ORM's start-up and classes were a quarter of what a node loads). A failed statement
 * is {@link StoreUnavailable} when PostgreSQL is out of reach, else an IllegalStateException.
 */
@ApplicationScoped
public class Sql {
    /** Reads one row into a value. */
    @FunctionalInterface
    public interface Row<T> {
        T read(ResultSet row) throws SQLException;
    }

    /** Work on the transaction's connection itself (batches, arrays, LISTEN/NOTIFY). */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection jdbc) throws SQLException;
    }

    private final AgroalDataSource dataSource;

    Sql(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public <T> List<T> list(String sql, Row<T> row, Object... parameters) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet rows = statement.executeQuery()) {
            List<T> read = new ArrayList<>();
            while (rows.next()) {
                read.add(row.read(rows));
            }
            return read;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    public <T> Optional<T> one(String sql, Row<T> row, Object... parameters) {
        List<T> read = list(sql, row, parameters);
        if (read.size() > 1) {
            throw new IllegalStateException("more than one row: " + sql);
        }
        return read.stream().findFirst();
    }

    public <T> T withConnection(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** Runs an insert, update or delete; returns the rows it changed. */
    public int update(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /**
     * PostgreSQL out of reach is {@link StoreUnavailable} (503 with Retry-After); anything else it refused is
     * {@link StatementRefused}, never an IllegalStateException, which callers use for their own domain checks.
     */
    private static RuntimeException failed(SQLException e) {
        RuntimeException mapped = StoreUnavailable.of("PostgreSQL", e);
        return mapped instanceof StoreUnavailable ? mapped : new StatementRefused(e);
    }

    /** A statement PostgreSQL refused (a constraint, a trigger, a deadlock); the SQLException, with its SQLSTATE, is the cause. */
    public static final class StatementRefused extends RuntimeException {
        StatementRefused(SQLException cause) {
            super("PostgreSQL refused a statement (" + cause.getSQLState() + ")", cause);
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            bind(connection, statement, parameters);
        } catch (SQLException | RuntimeException e) {
            statement.close(); // not yet owned by the caller's try-with-resources
            throw e;
        }
        return statement;
    }

    /** Binds parameters: an Instant as a timestamp, a collection as text[], anything else as itself. */
    private static void bind(Connection connection, PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object value = parameters[i];
            if (value instanceof Instant instant) {
                statement.setTimestamp(i + 1, Timestamp.from(instant));
            } else if (value instanceof Collection<?> texts) {
                statement.setArray(i + 1, connection.createArrayOf("text", texts.toArray()));
            } else {
                statement.setObject(i + 1, value);
            }
        }
    }

    /** Reads a nullable timestamp column. */
    public static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp value = row.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    /** Reads a {@code text[]} column; null reads as the empty list. */
    public static List<String> texts(ResultSet row, String column) throws SQLException {
        java.sql.Array value = row.getArray(column);
        return value == null ? List.of() : List.of((String[]) value.getArray());
    }

    /**
     * Reads a {@code jsonb} column that holds an object of strings (labels a person or client attached); null
     * and {@code {}} read as the empty map. Anything else there was not written by Gatehouse: an error, not a guess.
     */
    public static java.util.Map<String, String> labels(ResultSet row, String column) throws SQLException {
        String json = row.getString(column);
        if (json == null || json.equals("{}")) {
            return java.util.Map.of();
        }
        try {
            return LABELS.readValue(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("column " + column + " is not a JSON object of strings", e);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectReader LABELS = new com.fasterxml.jackson.databind.ObjectMapper()
            .readerFor(new com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, String>>() {
            });

    /** An instant as PostgreSQL's {@code timestamptz} keeps it: microseconds, so that what is read back equals what was written. */
    public static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    }
}
