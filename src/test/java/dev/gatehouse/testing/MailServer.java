package dev.gatehouse.testing;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** A real SMTP server (GreenMail) on loopback; Gatehouse's mailer sends to it instead of its mock. */
public class MailServer implements QuarkusTestResourceLifecycleManager {
    /** The server of the Quarkus instance running now, for the tests to read. */
    private static volatile GreenMail smtp;
    /** Where it listens, to start it again there after {@link #down()}. */
    private static volatile ServerSetup setup;
    /** This resource's own server: a profile switch may start the next one before stopping this one. */
    private GreenMail mine;

    @Override
    public Map<String, String> start() {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        setup = new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        mine = new GreenMail(setup);
        mine.start();
        smtp = mine;
        return Map.of("quarkus.mailer.mock", "false", "quarkus.mailer.host", "127.0.0.1",
                "quarkus.mailer.port", Integer.toString(port), "quarkus.mailer.tls", "false");
    }

    @Override
    public void stop() {
        if (mine != null) {
            mine.stop();
        }
        if (smtp != null && smtp != mine) {
            smtp.stop(); // restarted by up()
        }
    }

    /** Stops the SMTP server of the Quarkus instance running now: connections are refused until {@link #up()}. */
    public static synchronized void down() {
        smtp.stop();
    }

    /** Starts it again, on the same port. */
    public static synchronized void up() {
        GreenMail again = new GreenMail(setup);
        again.start();
        smtp = again;
    }

    /** Every message received so far for {@code address}, waiting up to five seconds for the first. */
    public static List<MimeMessage> messagesTo(String address) {
        long deadline = System.currentTimeMillis() + 5_000;
        List<MimeMessage> found;
        do {
            found = Arrays.stream(smtp.getReceivedMessages()).filter(message -> {
                try {
                    return Arrays.stream(message.getAllRecipients()).anyMatch(r -> r.toString().equalsIgnoreCase(address));
                } catch (jakarta.mail.MessagingException e) {
                    return false;
                }
            }).toList();
            if (!found.isEmpty()) {
                return found;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return found;
            }
        } while (System.currentTimeMillis() < deadline);
        return found;
    }

    /** The profile whose mailer really sends, to this server. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(MailServer.class));
        }

        /** Every test here registers and claims from 127.0.0.1; AgentRateLimitTest and BruteForceLimitsTest cover the limits. */
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gatehouse.agent.rate-limits.anonymous-per-address", "1000",
                    "gatehouse.agent.claim-limits.mails-per-address", "1000",
                    "gatehouse.agent.claim-limits.wrong-codes-per-address", "1000");
        }
    }

    /** Mail really sent, and sign-up finished through the emailed link, as in production with mail configured. */
    public static class SignUpByEmail extends Profile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new java.util.HashMap<>(super.getConfigOverrides());
            config.put("gatehouse.signup.confirm-by-email", "true");
            return config;
        }
    }
}
