package dev.gatehouse.credits;

import dev.gatehouse.testing.RouteTable;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/**
 * Plans for the credit tests: everyone starts on {@code starter} (10 credits a month); {@code pro} prices the
 * dear route lower; {@code quota} is a request quota of 3; {@code slow} has a rate-limit policy of its own.
 * Two routes behind forward-auth: {@code /api/cheap} costs 1, {@code /api/dear} 4.
 */
public class CreditsProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        config.put("gatehouse.proxy.trusted-proxies", "127.0.0.1/32,::1/128");
        config.put("gatehouse.gateway.unmatched", "deny");
        RouteTable.put(config, "cheap", "GET", "/api/cheap", "profile:read", 1);
        RouteTable.put(config, "dear", "GET", "/api/dear", "profile:read", 4);
        config.put("gatehouse.plans.default-plan", "starter");
        config.put("gatehouse.plans.catalogue.\"starter\".allowance", "10");
        config.put("gatehouse.plans.catalogue.\"pro\".allowance", "100");
        config.put("gatehouse.plans.catalogue.\"pro\".prices.\"dear\"", "2");
        config.put("gatehouse.plans.catalogue.\"quota\".allowance", "3");
        config.put("gatehouse.plans.catalogue.\"quota\".unit", "requests");
        config.put("gatehouse.plans.catalogue.\"slow\".allowance", "100");
        config.put("gatehouse.plans.catalogue.\"slow\".rate-limit", "two-a-minute");
        config.put("gatehouse.plans.catalogue.\"free\".rate-limit", "two-a-minute");
        config.put("gatehouse.rate-limits.policies.two-a-minute", "2/1m");
        config.put("gatehouse.rate-limits.policies.one-a-minute", "1/1m");
        return config;
    }
}
