package dev.gatehouse.gateway;

import dev.gatehouse.testing.RouteTable;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/**
 * A deployment behind a gateway on loopback (trusted to name the client), with a route table, a verify
 * client, unrouted requests denied, and real metering: 100 requests a minute per key, 1,000 credits a
 * month on the {@code standard} plan, a plan that grants nothing ({@code empty}) and a policy of one
 * request a day for keys an operator singles out. Shared by the gateway tests so that Quarkus starts once
 * for all of them.
 */
public class GatewayProfile implements QuarkusTestProfile {
    static final String VERIFY_CLIENT = "billing-service";
    static final String VERIFY_SECRET = "verify-secret-4f7c2a9e1b6d8035c2e7a14b9f60d3e8";
    /** SHA-256 of VERIFY_SECRET, as an operator configures it. */
    static final String VERIFY_SECRET_SHA256 = "8be6cecf7952beef86b93a6f051f08b75a5edcf7a41742caab5379915f5b23cb";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        config.put("gatehouse.proxy.trusted-proxies", "127.0.0.1/32,::1/128");
        config.put("gatehouse.gateway.unmatched", "deny");
        RouteTable.put(config, "jobs-list", "GET", "/api/jobs", "jobs:read", 1);
        RouteTable.put(config, "jobs-create", "POST", "/api/jobs", "jobs:write", 5);
        RouteTable.put(config, "job", "GET", "/api/jobs/{id}", "jobs:read", 2);
        RouteTable.put(config, "premium", "*", "/api/premium/**", "billing:read", 10);
        RouteTable.put(config, "everything-else", "*", "/api/**", null, 1);
        config.put("gatehouse.verify.clients.\"" + VERIFY_CLIENT + "\".secret-sha256", VERIFY_SECRET_SHA256);
        config.put("gatehouse.rate-limits.policies.default", "100/1m");
        config.put("gatehouse.rate-limits.policies.one-a-day", "1/1d");
        config.put("gatehouse.rate-limits.header-styles", "x-ratelimit,ietf");
        config.put("gatehouse.plans.default-plan", "standard");
        config.put("gatehouse.plans.catalogue.\"standard\".allowance", "1000");
        config.put("gatehouse.plans.catalogue.\"empty\".allowance", "0");
        config.put("gatehouse.plans.catalogue.\"jobs-only\".allowance", "1000");
        config.put("gatehouse.plans.catalogue.\"jobs-only\".routes", "jobs-list,job");
        config.put("gatehouse.plans.catalogue.\"one-request\".allowance", "1");
        config.put("gatehouse.plans.catalogue.\"one-request\".unit", "requests");
        return config;
    }
}
