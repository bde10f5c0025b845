package dev.gatehouse.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** Runs Gatehouse with Redis as its shared hot state, as a multi-node deployment would. */
public class WithRedis implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RedisResource.class));
    }
}
