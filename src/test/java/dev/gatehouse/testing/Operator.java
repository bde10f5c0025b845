package dev.gatehouse.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.HashMap;
import java.util.Map;

/** What an operator does through /admin (the %test profile's gatehouse.admin.token). */
public final class Operator {
    public static final String TOKEN = "test-admin-token";

    private Operator() {
    }

    public static RequestSpecification asOperator() {
        return given().header("Authorization", "Bearer " + TOKEN);
    }

    /** A person who signed up, with the session cookie and the id of the owner who pays for their keys. */
    public record Customer(String email, String session, String owner) {
    }

    /** Signs a new person up and looks up their owner, as an operator would. */
    public static Customer signUpCustomer() {
        String email = Http.newEmail();
        String session = Http.signUp(email);
        return new Customer(email, session, ownerOf(email));
    }

    /** The id of the owner of the account with this email. */
    public static String ownerOf(String email) {
        return asOperator().queryParam("email", email).get("/admin/owners").then().statusCode(200).extract().path("owner");
    }

    public static ValidatableResponse putOnPlan(String ownerId, String plan) {
        return asOperator().contentType(ContentType.JSON).body(Map.of("plan", plan))
                .put("/admin/owners/" + ownerId + "/plan").then();
    }

    public static ValidatableResponse topUp(String ownerId, long credits, String reference) {
        return asOperator().contentType(ContentType.JSON).body(Map.of("credits", credits, "reference", reference))
                .post("/admin/owners/" + ownerId + "/top-ups").then();
    }

    public static ValidatableResponse standing(String ownerId) {
        return asOperator().get("/admin/owners/" + ownerId).then();
    }

    /** Gives one key its own rate-limit policy (null: back to its plan's). */
    public static ValidatableResponse setRateLimit(String keyId, String policy) {
        Map<String, Object> body = new HashMap<>();
        body.put("policy", policy);
        return asOperator().contentType(ContentType.JSON).body(body).put("/admin/api-keys/" + keyId + "/rate-limit").then();
    }
}
