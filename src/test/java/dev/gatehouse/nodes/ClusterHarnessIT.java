package dev.gatehouse.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The harness itself, on one node: what {@link RevocationAcrossNodesIT} relies on works on any build. */
class ClusterHarnessIT {
    static Cluster cluster;
    static Node node;

    @BeforeAll
    static void start() {
        cluster = Cluster.builder().node("solo").start();
        node = cluster.node("solo");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theNodeRunsTheProdJarOnItsOwnPortWithItsLogInTargetNodes() throws IOException {
        assertTrue(node.isAlive());
        assertEquals(200, node.readiness().status());
        assertTrue(Files.readString(node.log()).contains("Profile prod activated"), node.tail(20));
        assertTrue(node.readiness().check("Hot state").path("status").asText().equals("UP"), node.readiness().toString());
    }

    @Test
    void aSessionAndAKeyWorkAndRevokedKeysAreRefused() {
        String session = node.signUp();
        Node.Key key = node.mintKey(session);
        assertEquals(200, node.me(key));
        assertEquals(204, node.revoke(session, key));
        assertTrue(RevocationAcrossNodesIT.pollUntilRefused(node, key, Duration.ofSeconds(6)).refused());
    }

    @Test
    void metricsAreRead() {
        assertTrue(node.metric("jvm_threads_live_threads").isPresent());
        assertFalse(node.metric("no_such_metric_anywhere").isPresent());
    }

    @Test
    void theNodesBackendsAreFoundThroughItsSockets() {
        assertFalse(cluster.backends(node).isEmpty(), "the node's PostgreSQL connections are found by client port");
    }

    @Test
    void redisStopsAndStartsAgainOnTheSamePort() throws IOException {
        int port = cluster.redisPort();
        assertEquals("+PONG", ping(port));
        cluster.stopRedis();
        assertFalse(cluster.redisRunning());
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            throw new AssertionError("Redis still listens after stopRedis()");
        } catch (IOException expected) {
            // refused
        }
        cluster.startRedis();
        assertEquals(port, cluster.redisPort());
        assertEquals("+PONG", ping(port));
    }

    private static String ping(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[16];
            int read = in.read(buffer);
            return new String(buffer, 0, Math.max(read, 0), StandardCharsets.US_ASCII).trim();
        }
    }
}
