package dev.gatehouse.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.gatehouse.nodes.Node.Key;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes sharing Redis never accept more than the limit in a window (seed 002: "applied per API key"),
 * however the requests are spread and raced: the check and the count are one Lua script in Redis.
 */
class RateLimitAcrossNodesIT {
    static final int LIMIT = 20;
    static Cluster cluster;

    @BeforeAll
    static void startCluster() {
        // An hour's window: the test never straddles its boundary by accident (it waits if it would).
        Map<String, String> policy = Map.of("GATEHOUSE_RATE_LIMITS_POLICIES_DEFAULT", LIMIT + "/1h");
        cluster = Cluster.builder().node("a", policy).node("b", policy).start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void concurrentRequestsOnBothNodesAreAcceptedAtMostLimitTimes() throws Exception {
        Node a = cluster.node("a");
        Node b = cluster.node("b");
        long secondsIntoHour = Instant.now().getEpochSecond() % 3600;
        if (secondsIntoHour > 3570) {
            Thread.sleep((3601 - secondsIntoHour) * 1000);
        }
        Key key = a.mintKey(a.signUp());
        List<Future<Integer>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 3 * LIMIT; i++) {
                Node node = i % 2 == 0 ? a : b;
                answers.add(pool.submit(() -> node.me(key)));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            assertFalse(statuses.stream().anyMatch(status -> status != 200 && status != 429), "only 200 or 429: " + statuses);
            assertEquals(LIMIT, statuses.stream().filter(status -> status == 200).count(),
                    "exactly the limit accepted across both nodes: " + statuses);
        }
        // And the window stays full on either node.
        assertEquals(429, a.me(key));
        assertEquals(429, b.me(key));
    }
}
