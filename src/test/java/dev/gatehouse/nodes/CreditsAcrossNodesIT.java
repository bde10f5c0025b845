package dev.gatehouse.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.gatehouse.nodes.Node.Key;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes sharing Redis and PostgreSQL charge one owner's balance: however the requests are spread and
 * raced, exactly the allowance is accepted (never a credit spent twice, never below zero), the rest are
 * 402, and PostgreSQL, the balance of record, ends with exactly what was charged.
 */
class CreditsAcrossNodesIT {
    static final int ALLOWANCE = 30;
    static Cluster cluster;
    static Path plans;

    @BeforeAll
    static void startCluster() throws IOException {
        // A map key with quotes cannot be written as an environment variable: a properties file it is.
        plans = Files.createTempFile("gatehouse-plans", ".properties");
        Files.writeString(plans, """
                gatehouse.plans.default-plan=shared
                gatehouse.plans.catalogue."shared".allowance=%d
                gatehouse.plans.reconcile-interval=200ms
                gatehouse.rate-limits.policies.default=1000/1m
                """.formatted(ALLOWANCE));
        Map<String, String> environment = Map.of("QUARKUS_CONFIG_LOCATIONS", plans.toString());
        cluster = Cluster.builder().node("a", environment).node("b", environment).start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
        try {
            Files.deleteIfExists(plans);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void concurrentRequestsOnBothNodesSpendExactlyTheAllowanceAndPostgresRecordsIt() throws Exception {
        Node a = cluster.node("a");
        Node b = cluster.node("b");
        Key key = a.mintKey(a.signUp());
        List<Future<Integer>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 3 * ALLOWANCE; i++) {
                Node node = i % 2 == 0 ? a : b;
                answers.add(pool.submit(() -> node.me(key)));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            assertFalse(statuses.stream().anyMatch(status -> status != 200 && status != 402), "only 200 or 402: " + statuses);
            assertEquals(ALLOWANCE, statuses.stream().filter(status -> status == 200).count(),
                    "exactly the allowance accepted across both nodes: " + statuses);
        }
        assertEquals(402, a.me(key));
        assertEquals(402, b.me(key));
        assertEquals(ALLOWANCE, awaitSpent(key, ALLOWANCE), "written once to the balance of record, by whichever node");
        Thread.sleep(1000);
        assertEquals(ALLOWANCE, spent(key), "and never again");
    }

    private static long awaitSpent(Key key, long expected) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        long spent = spent(key);
        while (spent != expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
            spent = spent(key);
        }
        return spent;
    }

    private static long spent(Key key) throws Exception {
        try (Connection connection = cluster.database();
                PreparedStatement select = connection.prepareStatement("""
                        select coalesce(sum(period.spent), -1) from credit_period period
                        join owner on owner.id = period.owner_id join token on token.account_id = owner.account_id
                        where token.id = ?""")) {
            select.setObject(1, UUID.fromString(key.id()));
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
