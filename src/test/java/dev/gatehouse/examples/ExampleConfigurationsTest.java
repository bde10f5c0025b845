package dev.gatehouse.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.pat.ApiKeyFormat;
import dev.gatehouse.pat.KeyAlphabet;
import dev.gatehouse.testing.ExampleFile;
import dev.gatehouse.token.Environment;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each file in examples/ makes Gatehouse issue and accept keys the way its seed document promises. */
class ExampleConfigurationsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "jobby      | jbb_      | Authorization | profile:read profile:write matches:read jobs:write settings:write",
        "jobiflow   | jbf_live_ | X-API-Key     | jobs:read jobs:write applications:read applications:write candidates:read candidates:write webhooks:manage analytics:read",
        "jobo       | jobo_live_| X-Api-Key     | api:access",
        "jobtactics | jt_sk_    | Authorization | public:read",
        "jobspipe   | jp_live_  | Authorization | jobs:read"})
    void exampleIssuesTheSeedsKeysOnTheSeedsHeaders(String name, String livePrefix, String header, String scopes) {
        Properties file = ExampleFile.load(name);
        ApiKeyFormat format = new ApiKeyFormat(file.getProperty("gatehouse.api-keys.live-prefix"),
                file.getProperty("gatehouse.api-keys.test-prefix"),
                KeyAlphabet.valueOf(file.getProperty("gatehouse.api-keys.alphabet").toUpperCase()),
                Integer.parseInt(file.getProperty("gatehouse.api-keys.random-length")));

        String live = format.mint(Environment.LIVE).plaintext();
        String test = format.mint(Environment.TEST).plaintext();
        assertTrue(live.startsWith(livePrefix), live);
        assertEquals(Environment.LIVE, format.check(live).orElseThrow());
        assertEquals(Environment.TEST, format.check(test).orElseThrow(), "sandbox keys are told apart");
        assertEquals(header, file.getProperty("gatehouse.api-keys.headers"));

        List<String> catalogue = Arrays.stream(file.getProperty("gatehouse.scopes.catalogue").split(",")).map(String::strip).toList();
        for (String scope : scopes.split(" ")) {
            assertTrue(catalogue.contains(scope), scope + " in " + catalogue);
        }
        assertTrue(catalogue.contains(file.getProperty("gatehouse.api.me-scope")), "the reference endpoint stays usable");
        assertTrue(!catalogue.contains("matches:accept"), "session-only actions never become scopes");
    }
}
