package dev.gatehouse.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The documented request limits (docs/limits.md, issue 9 §6), over a raw socket so the server's answer is
 * read before the body is sent: a body announced over 1 MB is 413 in the deployment's JSON shape, before
 * any of it is read; headers over 20 KB are 431.
 */
@QuarkusTest
class RequestLimitsTest {
    @TestHTTPResource("/")
    URL server;

    private String exchange(String head) throws Exception {
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(3_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            // Whatever the server says until it closes, or stops talking (it may keep the socket open for the body it refused).
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[4096];
            try {
                for (int read; (read = in.read(buffer)) > 0 && answer.length() < 4000; ) {
                    answer.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
                    if (answer.indexOf("\r\n\r\n") > 0 && answer.indexOf("}") > 0) {
                        break;
                    }
                }
            } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
                // the answer so far is what counts
            }
            return answer.toString();
        }
    }

    @Test
    void aBodyAnnouncedOverTheLimitIsRefusedBeforeItIsRead() throws Exception {
        String answer = exchange("POST /settings/api-keys HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 2000000\r\nConnection: close\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.contains("\"status\":413") && answer.contains("larger than 1048576 bytes"), answer);
    }

    @Test
    void headersOverTheLimitAre431() throws Exception {
        String answer = exchange("GET /v1/me HTTP/1.1\r\nHost: localhost\r\nX-Api-Key: " + "a".repeat(30_000)
                + "\r\nConnection: close\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 431"), answer);
    }

    @Test
    void aBodyWithinTheLimitIsRead() throws Exception {
        String answer = exchange("POST /oauth2/register HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 2\r\nConnection: close\r\n\r\n{}");
        assertTrue(answer.startsWith("HTTP/1.1 400") && answer.contains("invalid_redirect_uri"),
                "read, and refused for what it says, not for its size: " + answer);
    }
}
