package dev.gatehouse.web;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** RFC 8414 §2: the issuer is an https URL with no query or fragment (http for local development). */
class IssuerCheckTest {
    @Test
    void acceptsHttpsAndLocalHttp() {
        assertNull(IssuerCheck.problem(URI.create("https://auth.example.com")));
        assertNull(IssuerCheck.problem(URI.create("https://example.com/tenant-a")));
        assertNull(IssuerCheck.problem(URI.create("http://localhost:8080")));
    }

    @Test
    void refusesWhatTheRfcForbids() {
        assertNotNull(IssuerCheck.problem(URI.create("http://auth.example.com")));
        assertNotNull(IssuerCheck.problem(URI.create("https://auth.example.com?x=1")));
        assertNotNull(IssuerCheck.problem(URI.create("https://auth.example.com#f")));
        assertNotNull(IssuerCheck.problem(URI.create("/relative")));
    }
}
