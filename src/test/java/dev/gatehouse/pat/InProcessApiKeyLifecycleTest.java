package dev.gatehouse.pat;

import io.quarkus.test.junit.QuarkusTest;

/** The key lifecycle on a single node with in-process hot state (no Redis configured). */
@QuarkusTest
class InProcessApiKeyLifecycleTest extends ApiKeyLifecycleContract {
    @Override
    String expectedHotStateMode() {
        return "in-process";
    }
}
