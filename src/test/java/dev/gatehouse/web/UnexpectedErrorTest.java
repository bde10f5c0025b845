package dev.gatehouse.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An unexpected error never shows internals (issue 9 §4): API paths answer JSON in the deployment's shape
 * with an error id, pages the site's own error page with the id, and the id is in the log line that has
 * the stack trace.
 */
@QuarkusTest
class UnexpectedErrorTest {
    /** A resource that fails the way a bug does, only in tests. */
    @Path("/test-only/fails")
    public static class Failing {
        @GET
        @jakarta.ws.rs.Produces({"application/json", "text/html"})
        public String fail() {
            throw new IllegalStateException("internal detail: connection to db-7.internal:5432 in FooRepository.load");
        }
    }

    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        java.util.logging.Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        java.util.logging.Logger.getLogger("").removeHandler(capture);
    }

    /**
     * A caller that hangs up halfway through its form (a load generator stopping) is not a server error:
     * nothing is logged at error level, and the server answers the next caller.
     */
    @Test
    void aCallerThatHangsUpHalfwayThroughItsFormIsNoError() throws Exception {
        int port = io.restassured.RestAssured.port;
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            socket.getOutputStream().write(("POST /oauth2/token HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 500\r\n\r\ngrant_type=client_cre")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            Thread.sleep(200); // the server has begun reading the body
        }
        given().formParam("grant_type", "client_credentials").post("/oauth2/token").then().statusCode(401);
        Thread.sleep(500); // the closed connection's failure, if any, is logged by now
        assertTrue(logged.stream().noneMatch(record -> record.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()),
                () -> "logged as an error: " + logged.stream().filter(r -> r.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                        .map(r -> r.getLoggerName() + " " + r.getMessage()).toList());
    }

    @Test
    void anApiCallerGetsJsonWithAnErrorIdAndNoInternals() {
        Response answer = given().accept("application/json").get("/test-only/fails");
        answer.then().statusCode(500).contentType(containsString("application/json"))
                .body("status", org.hamcrest.Matchers.equalTo(500))
                .body("error", org.hamcrest.Matchers.equalTo("Internal Server Error"))
                .body(not(containsString("db-7.internal"))).body(not(containsString("IllegalStateException")))
                .body(not(containsString("at dev.gatehouse")));
        String errorId = answer.path("errorId");
        assertTrue(errorId != null && answer.<String>path("message").contains(errorId));
        assertLoggedWithStack(errorId);
    }

    @Test
    void aBrowserGetsTheSitesOwnErrorPageWithTheId() {
        Response answer = given().accept("text/html,application/xhtml+xml").get("/test-only/fails");
        answer.then().statusCode(500).contentType(containsString("text/html"))
                .body(containsString("Something went wrong on our side"))
                .body(not(containsString("db-7.internal"))).body(not(containsString("IllegalStateException")));
        String html = answer.asString();
        String errorId = html.replaceAll("(?s).*<code>([0-9a-f-]{36})</code>.*", "$1");
        assertFalse(errorId.equals(html), "the page shows an error id");
        assertLoggedWithStack(errorId);
    }

    private void assertLoggedWithStack(String errorId) {
        assertTrue(logged.stream().anyMatch(record -> record.getThrown() instanceof IllegalStateException
                && String.valueOf(record.getMessage()).contains(errorId)
                || record.getParameters() != null && List.of(record.getParameters()).contains(errorId)),
                "the log line with the stack names the id " + errorId);
    }
}
