package dev.gatehouse.outcome;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import javax.transaction.xa.XAException;
import org.junit.jupiter.api.Test;

/** Which failures mean "PostgreSQL is out of reach" (503, try again) rather than a bug (500). */
class StoreUnavailableTest {

    /**
     * What FaultUnderLoadIT met: PostgreSQL shut down during a commit. Narayana throws a RollbackException
     * whose only reason is a suppressed XAException, caused by the driver's 57P01 (admin shutdown).
     */
    @Test
    void aCommitKilledByShutdownIsUnavailableThroughTheSuppressedXaException() {
        XAException xa = new XAException("Error trying to transactionCommit local transaction");
        xa.initCause(new SQLException("FATAL: terminating connection due to administrator command", "57P01"));
        RuntimeException rollback = new IllegalStateException("ARJUNA016053: Could not commit transaction.");
        rollback.addSuppressed(xa);
        RuntimeException wrapped = new RuntimeException("QuarkusTransactionException", rollback);
        assertTrue(StoreUnavailable.causedBy(wrapped));
    }

    @Test
    void aConstraintOrABugIsNot() {
        assertFalse(StoreUnavailable.causedBy(new RuntimeException(new SQLException("duplicate key", "23505"))));
        assertFalse(StoreUnavailable.causedBy(new NullPointerException()));
        RuntimeException cyclic = new RuntimeException("a");
        RuntimeException other = new RuntimeException("b", cyclic);
        cyclic.addSuppressed(other);
        assertFalse(StoreUnavailable.causedBy(cyclic), "a cycle of causes ends");
    }

    @Test
    void refusedDataIsFoundTheSameWay() {
        RuntimeException rollback = new RuntimeException("rollback");
        rollback.addSuppressed(new SQLException("invalid byte sequence", "22021"));
        assertTrue(StoreUnavailable.refusedData(rollback));
        assertFalse(StoreUnavailable.causedBy(rollback));
    }
}
