package dev.gatehouse.credits;

import dev.gatehouse.outcome.Rejection;
import dev.gatehouse.outcome.StoreUnavailable;
import dev.gatehouse.state.CreditCounters.Ledger;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/**
 * The balance of record in PostgreSQL: one {@code credit_period} row per owner and month, and the
 * {@code credit_top_up} ledger. Charges arrive here in batches from {@link CreditReconciler}, never per request.
 */
@ApplicationScoped
class CreditLedger {
    /** One owner's balance in one calendar month (UTC); its name is how the hot counters know it. */
    record Period(UUID ownerId, YearMonth month) {
        String balance() {
            return ownerId + ":" + month;
        }

        static Period of(String balance) {
            int colon = balance.indexOf(':');
            return new Period(UUID.fromString(balance.substring(0, colon)), YearMonth.parse(balance.substring(colon + 1)));
        }
    }

    /** A period's figures as recorded. */
    record Statement(long allowance, long topUps, long spent, long givenAway, long version) {
        long granted() {
            return allowance + topUps;
        }

        Ledger ledger() {
            return new Ledger(granted(), spent, version);
        }
    }

    /** After a holding's mark was written: the period's figures and the highest mark written for that holding. */
    record Written(Statement statement, long written) {
    }

    /** A top-up, and whether this request applied it (false: its reference had been applied before). */
    record TopUp(Statement statement, boolean applied) {
    }

    private static final String FIGURES = "allowance, top_ups, spent, given_away, version";
    /**
     * A month's row starts with the plan's allowance and the top-ups left unspent last month: the allowance
     * is spent first, so what remains of the top-ups is what was bought beyond what the allowance covered.
     */
    private static final String OPEN = """
            insert into credit_period (owner_id, period_start, allowance, top_ups)
            values (?, ?, ?, coalesce((select greatest(0, last.top_ups - greatest(0, last.spent - last.allowance))
                                       from credit_period last where last.owner_id = ? and last.period_start < ?
                                       order by last.period_start desc limit 1), 0))
            on conflict do nothing""";
    /**
     * Charges written never take the balance below zero: what holdings charged beyond it on their own
     * (nodes counting alone while Redis was down) is given away, and counted.
     */
    private static final String RECORD = "update credit_period set spent = least(spent + ?, allowance + top_ups),"
            + " given_away = given_away + greatest(0, spent + ? - (allowance + top_ups))"
            + " where owner_id = ? and period_start = ? returning " + FIGURES;
    private static final String SELECT = "select " + FIGURES + " from credit_period where owner_id = ? and period_start = ?";
    /**
     * A lower allowance never takes back what was spent of the old one (the allowance is spent first), and
     * leaves bought top-ups as they are.
     */
    private static final String SET_ALLOWANCE = "update credit_period set allowance = greatest(?, least(spent, allowance)),"
            + " version = version + 1 where owner_id = ? and period_start = ? returning " + FIGURES;
    private static final String ADD_TOP_UP = "update credit_period set top_ups = top_ups + ?, version = version + 1"
            + " where owner_id = ? and period_start = ? returning " + FIGURES;

    private final AgroalDataSource dataSource;

    CreditLedger(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The period's figures, its row created with {@code allowance} if this is the month's first use. */
    Statement open(Period period, long allowance) {
        try (Connection connection = dataSource.getConnection()) {
            return open(connection, period, allowance);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** The period's figures if its row exists. */
    Optional<Statement> statement(Period period) {
        try (Connection connection = dataSource.getConnection()) {
            return select(connection, period);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * Writes a holding's mark: what it has charged in all. Only what is above the highest mark written for
     * that holding is added to the period's spending, so writing a mark again adds nothing. The period's
     * row exists: it was opened before the holding was loaded.
     */
    Written write(Period period, String epoch, long charged) {
        return inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("insert into credit_holding (epoch, owner_id,"
                    + " period_start, written) values (?, ?, ?, 0) on conflict (epoch) do nothing")) {
                insert.setString(1, epoch);
                insert.setObject(2, period.ownerId());
                insert.setObject(3, period.month().atDay(1));
                insert.executeUpdate();
            }
            long written;
            try (PreparedStatement select = connection.prepareStatement(
                    "select written from credit_holding where epoch = ? for update")) {
                select.setString(1, epoch);
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    written = row.getLong(1);
                }
            }
            if (charged <= written) {
                return new Written(select(connection, period).orElseThrow(), written);
            }
            try (PreparedStatement raise = connection.prepareStatement("update credit_holding set written = ? where epoch = ?")) {
                raise.setLong(1, charged);
                raise.setString(2, epoch);
                raise.executeUpdate();
            }
            try (PreparedStatement update = connection.prepareStatement(RECORD)) {
                update.setLong(1, charged - written);
                update.setLong(2, charged - written);
                update.setObject(3, period.ownerId());
                update.setObject(4, period.month().atDay(1));
                return new Written(single(update).orElseThrow(), charged);
            }
        });
    }

    /**
     * Adds {@code credits} to this month's balance, once per {@code reference}: asked again with the same
     * reference and amount, nothing changes; with the same reference and another amount, it is refused.
     */
    TopUp topUp(Period period, long allowance, long credits, String reference, Instant now) {
        return inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("insert into credit_top_up (id, owner_id, credits,"
                    + " reference, created_at) values (?, ?, ?, ?, ?) on conflict (owner_id, reference) do nothing")) {
                insert.setObject(1, UUID.randomUUID());
                insert.setObject(2, period.ownerId());
                insert.setLong(3, credits);
                insert.setString(4, reference);
                insert.setObject(5, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                if (insert.executeUpdate() == 0) {
                    long earlier = earlierTopUp(connection, period.ownerId(), reference);
                    if (earlier != credits) {
                        throw Rejection.conflict("The reference " + reference
                                + " was already used for a top-up of " + earlier + " credits");
                    }
                    return new TopUp(open(connection, period, allowance), false);
                }
            }
            open(connection, period, allowance);
            try (PreparedStatement update = connection.prepareStatement(ADD_TOP_UP)) {
                update.setLong(1, credits);
                update.setObject(2, period.ownerId());
                update.setObject(3, period.month().atDay(1));
                return new TopUp(single(update).orElseThrow(), true);
            }
        });
    }

    /** A plan change in the caller's transaction: this month's row, if any, takes the new allowance. */
    Optional<Statement> setAllowance(Connection connection, Period period, long allowance) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(SET_ALLOWANCE)) {
            update.setLong(1, allowance);
            update.setObject(2, period.ownerId());
            update.setObject(3, period.month().atDay(1));
            return single(update);
        }
    }

    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} in one transaction: all of it is recorded, or none. */
    <T> T inTransaction(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private Statement open(Connection connection, Period period, long allowance) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(OPEN)) {
            insert.setObject(1, period.ownerId());
            insert.setObject(2, period.month().atDay(1));
            insert.setLong(3, allowance);
            insert.setObject(4, period.ownerId());
            insert.setObject(5, period.month().atDay(1));
            insert.executeUpdate();
        }
        return select(connection, period).orElseThrow();
    }

    private static Optional<Statement> select(Connection connection, Period period) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(SELECT)) {
            select.setObject(1, period.ownerId());
            select.setObject(2, period.month().atDay(1));
            return single(select);
        }
    }

    private static long earlierTopUp(Connection connection, UUID ownerId, String reference) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "select credits from credit_top_up where owner_id = ? and reference = ?")) {
            select.setObject(1, ownerId);
            select.setString(2, reference);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static Optional<Statement> single(PreparedStatement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery()) {
            return row.next()
                    ? Optional.of(new Statement(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4), row.getLong(5)))
                    : Optional.empty();
        }
    }

    private static RuntimeException unavailable(SQLException e) {
        return StoreUnavailable.of("the credit ledger", e);
    }
}
