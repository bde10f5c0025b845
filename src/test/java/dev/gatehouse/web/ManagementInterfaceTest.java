package dev.gatehouse.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import dev.gatehouse.testing.Management;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 finding 14: {@code /q/metrics} was public on the API's port, with per-endpoint counts. Metrics
 * and health now answer only on the management interface, a port of its own.
 */
@QuarkusTest
class ManagementInterfaceTest {

    @Test
    void metricsAndHealthAreNotOnThePublicPort() {
        given().get("/q/metrics").then().statusCode(404);
        given().get("/q/health/ready").then().statusCode(404);
    }

    @Test
    void theyAreOnTheManagementPort() {
        Management.given().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests"));
        Management.given().get("/q/health/ready").then().statusCode(200).body(containsString("\"status\""));
    }
}
