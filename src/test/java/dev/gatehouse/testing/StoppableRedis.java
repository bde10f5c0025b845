package dev.gatehouse.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import redis.embedded.RedisServer;

/** A real Redis that a test can stop and start again on the same port, to show what a Redis outage does. */
public class StoppableRedis implements QuarkusTestResourceLifecycleManager {
    private static volatile RedisServer server;
    private static volatile int port;

    /** Runs Gatehouse against a {@link StoppableRedis}. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(StoppableRedis.class));
        }
    }

    @Override
    public Map<String, String> start() {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        startAgain();
        return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:" + port);
    }

    public static synchronized void startAgain() {
        try {
            server = new RedisServer(port);
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static synchronized void kill() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int port() {
        return port;
    }

    @Override
    public void stop() {
        try {
            if (server != null && server.isActive()) {
                server.stop();
            }
        } catch (IOException ignored) {
            // already gone
        }
    }
}
