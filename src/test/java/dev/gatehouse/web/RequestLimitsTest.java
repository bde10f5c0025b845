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

    /**
     * A form sent chunked cannot be refused from its length: the token endpoint reads it until a limit trips
     * (here a field over 2 KiB), then answers in the OAuth error shape (RFC 6749 §5.2), and the endpoint never runs.
     */
    @Test
    void aChunkedFormPastTheLimitsIsRefusedInTheOAuthShape() throws Exception {
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /oauth2/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = ("grant_type=client_credentials&scope=" + "a".repeat(65_536)).getBytes(StandardCharsets.ISO_8859_1);
            try {
                for (int sent = 0; sent <= 1_100_000; sent += chunk.length) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    chunk = "a".repeat(65_536).getBytes(StandardCharsets.ISO_8859_1);
                }
                out.flush();
            } catch (java.io.IOException closedByServer) {
                // the server stopped reading: its answer is what counts
            }
            StringBuilder read = new StringBuilder();
            byte[] buffer = new byte[4096];
            try {
                for (int n; read.indexOf("}") < 0 && (n = socket.getInputStream().read(buffer)) > 0; ) {
                    read.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
                // the answer so far is what counts
            }
            String answer = read.toString();
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            assertTrue(answer.contains("\"error\":\"invalid_request\"") && answer.contains("a field too long"), answer);
        }
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
