package dev.gatehouse.token;

import dev.gatehouse.keys.SignedTokenLifetimes;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Revoking everything of an account or a client compares tokens' {@code iat}, written by the clock of
 * whichever node signed them, with the revoking node's clock, allowing
 * {@link SignedTokenLifetimes#NODE_CLOCK_SKEW}. Every node's clock is measured against PostgreSQL's at
 * start (the one clock they all see): a node further off than half the allowance is logged as an error,
 * since two such nodes could be a whole allowance apart.
 */
@ApplicationScoped
public class NodeClockCheck {
    private static final Logger LOG = Logger.getLogger(NodeClockCheck.class);

    private final AgroalDataSource dataSource;
    private final Clock clock;

    NodeClockCheck(AgroalDataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    void check(@Observes StartupEvent event) {
        measure();
    }

    /** This node's clock minus PostgreSQL's (half the query's round trip either way); empty when PostgreSQL does not answer. */
    public Optional<Duration> measure() {
        try (Connection jdbc = dataSource.getConnection(); Statement query = jdbc.createStatement()) {
            long sent = clock.millis();
            try (ResultSet row = query.executeQuery("select (extract(epoch from clock_timestamp()) * 1000)::bigint")) {
                row.next();
                long database = row.getLong(1);
                long here = (sent + clock.millis()) / 2;
                Duration skew = Duration.ofMillis(here - database);
                if (skew.abs().compareTo(SignedTokenLifetimes.NODE_CLOCK_SKEW.dividedBy(2)) > 0) {
                    LOG.errorf("This node's clock is %d ms from PostgreSQL's: more than half of the %d s two nodes' clocks may differ."
                            + " Revoking an account's or a client's tokens may miss some signed by a node whose clock runs ahead. Synchronise"
                            + " the clocks (NTP).", skew.toMillis(), SignedTokenLifetimes.NODE_CLOCK_SKEW.toSeconds());
                }
                return Optional.of(skew);
            }
        } catch (SQLException e) {
            LOG.debugf("Clock check skipped: PostgreSQL did not answer (%s)", e.getClass().getSimpleName());
            return Optional.empty();
        }
    }
}
