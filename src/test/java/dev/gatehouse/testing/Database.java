package dev.gatehouse.testing;

import io.agroal.api.AgroalDataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HexFormat;

/** What another Gatehouse node, or an operator, does to the shared PostgreSQL behind this node's back. */
public final class Database {
    private Database() {
    }

    /** SHA-256 of a token in hex: what the store keys it by, and what a change notification carries. */
    public static String hashHex(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The single number {@code sql} (a {@code select count(*) ...}) answers for {@code parameters}. */
    public static long count(AgroalDataSource database, String sql, Object... parameters) throws SQLException {
        try (Connection connection = database.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i]);
            }
            try (java.sql.ResultSet result = query.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    /** Runs one statement that changes rows (as another service, or an earlier version, would have); how many. */
    public static int update(AgroalDataSource database, String sql, Object... parameters) throws SQLException {
        try (Connection connection = database.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        }
    }

    /** Marks a token revoked, and only if {@code notify}, announces it as a node would, in the same transaction. */
    public static void revokeAsAnotherNode(AgroalDataSource database, String tokenId, String rawToken, boolean notify) throws SQLException {
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement revoke = connection.prepareStatement("update token set revoked_at = now() where id = ?::uuid")) {
                revoke.setString(1, tokenId);
                revoke.executeUpdate();
            }
            if (notify) {
                try (PreparedStatement announce = connection.prepareStatement("select pg_notify('gatehouse_token_changed', ?)")) {
                    announce.setString(1, hashHex(rawToken));
                    announce.execute();
                }
            }
            connection.commit();
        }
    }

    /** Ends this node's listening connection, as a network fault or a database restart would. */
    public static int terminateListeners(AgroalDataSource database) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement kill = connection.prepareStatement(
                        "select count(pg_terminate_backend(pid)) from pg_stat_activity where application_name = 'gatehouse-revocation-listener'");
                var result = kill.executeQuery()) {
            result.next();
            return result.getInt(1);
        }
    }
}
