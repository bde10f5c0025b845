package dev.gatehouse.testing;

import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.YearMonth;
import java.util.UUID;

/** What PostgreSQL, the balance of record, holds as an owner's spending in a month, read straight from the table. */
public final class BalanceOfRecord {
    private BalanceOfRecord() {
    }

    /** {@code credit_period.spent}; -1 if the month has no row. */
    public static long spent(AgroalDataSource database, String owner, YearMonth month) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "select spent from credit_period where owner_id = ? and period_start = ?")) {
            select.setObject(1, UUID.fromString(owner));
            select.setObject(2, month.atDay(1));
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getLong(1) : -1;
            }
        }
    }

    /**
     * Waits (up to 20 s) until the reconciler has written {@code expected}, and returns what is spent then
     * (or at the deadline, whatever it is). A database that cannot be reached yet is waited for too.
     */
    public static long awaitSpent(AgroalDataSource database, String owner, YearMonth month, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        long spent = -2;
        while (System.nanoTime() < deadline) {
            try {
                spent = spent(database, owner, month);
                if (spent == expected) {
                    return spent;
                }
            } catch (SQLException e) {
                // PostgreSQL is coming back
            }
            Thread.sleep(100);
        }
        return spent;
    }
}
