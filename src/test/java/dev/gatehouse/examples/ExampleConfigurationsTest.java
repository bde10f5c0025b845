package dev.gatehouse.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.pat.ApiKeyFormat;
import dev.gatehouse.pat.KeyAlphabet;
import dev.gatehouse.testing.ExampleFile;
import dev.gatehouse.token.Environment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each file in examples/ makes Gatehouse issue and accept keys the way its seed document promises. */
class ExampleConfigurationsTest {
    static final String KEY_REGEX = "# Key regex: ";

    /** How many characters follow the prefix: seed 000 says 32; the other seeds name no length. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "jobby      | jbb_      | 32 | Authorization | profile:read profile:write matches:read jobs:write settings:write",
        "jobiflow   | jbf_live_ | 38 | X-API-Key     | jobs:read jobs:write applications:read applications:write candidates:read candidates:write webhooks:manage analytics:read",
        "jobo       | jobo_live_| 38 | X-Api-Key     | api:access",
        "jobtactics | jt_sk_    | 38 | Authorization | public:read",
        "jobspipe   | jp_live_  | 38 | Authorization | jobs:read"})
    void exampleIssuesTheSeedsKeysOnTheSeedsHeaders(String name, String livePrefix, int length, String header, String scopes) {
        Properties file = ExampleFile.load(name);
        ApiKeyFormat format = formatOf(file);

        String live = format.mint(Environment.LIVE).plaintext();
        String test = format.mint(Environment.TEST).plaintext();
        assertTrue(live.startsWith(livePrefix), live);
        assertEquals(livePrefix.length() + length, live.length(), live);
        assertEquals(format.prefix(Environment.TEST).length() + length, test.length(), test);
        assertEquals(Environment.LIVE, format.check(live).orElseThrow());
        assertEquals(Environment.TEST, format.check(test).orElseThrow(), "sandbox keys are told apart");
        assertTrue(format.randomBits() >= 128, "at least 128 random bits");

        // The regex the file documents is the one the format computes, and it matches what is minted.
        String documented = documentedRegex(name);
        assertEquals(format.regex(), documented);
        assertTrue(Pattern.compile(documented).matcher(live).matches(), live);
        assertTrue(Pattern.compile(documented).matcher("Authorization: Bearer " + test + "\n").find(), test);
        assertFalse(Pattern.compile(documented).matcher(live + live.charAt(live.length() - 1)).find(), "one more is no key");
        assertEquals(header, file.getProperty("gatehouse.api-keys.headers"));

        List<String> catalogue = Arrays.stream(file.getProperty("gatehouse.scopes.catalogue").split(",")).map(String::strip).toList();
        for (String scope : scopes.split(" ")) {
            assertTrue(catalogue.contains(scope), scope + " in " + catalogue);
        }
        assertTrue(catalogue.contains(file.getProperty("gatehouse.api.me-scope")), "the reference endpoint stays usable");
        assertTrue(!catalogue.contains("matches:accept"), "session-only actions never become scopes");
    }

    @Test
    void everyExampleFileIsCoveredAndItsRegexIsInTheDocument() throws IOException {
        List<String> files;
        try (var listing = Files.list(Path.of("examples"))) {
            files = listing.map(path -> path.getFileName().toString()).filter(file -> file.endsWith(".properties"))
                    .map(file -> file.substring(0, file.length() - ".properties".length())).sorted().toList();
        }
        assertEquals(List.of("jobby", "jobiflow", "jobo", "jobspipe", "jobtactics"), files, "each file has a row above");

        List<String> table = Files.readAllLines(Path.of("docs", "api-key-formats.md"));
        for (String name : files) {
            assertTableRow(table, name, formatOf(ExampleFile.load(name)));
        }
        // ApiKeyConfig's defaults.
        assertTableRow(table, "(defaults)", new ApiKeyFormat("gth_live_", "gth_test_", KeyAlphabet.BASE62, 32));
    }

    private static void assertTableRow(List<String> table, String name, ApiKeyFormat format) {
        String row = "| " + name + " | `" + format.prefix(Environment.LIVE) + "` / `" + format.prefix(Environment.TEST)
                + "` | " + format.alphabet().name().toLowerCase() + " | " + format.randomLength() + " | "
                + format.checksumLength() + " | " + format.length() + " | `" + format.regex().replace("|", "\\|")
                + "` | " + format.randomBits() + " |";
        assertTrue(table.contains(row), "docs/api-key-formats.md has the row\n" + row);
    }

    /** The format examples/{name}.properties configures, read as the application reads gatehouse.api-keys.*. */
    static ApiKeyFormat formatOf(Properties file) {
        String length = file.getProperty("gatehouse.api-keys.length");
        return new ApiKeyFormat(file.getProperty("gatehouse.api-keys.live-prefix"),
                file.getProperty("gatehouse.api-keys.test-prefix"),
                KeyAlphabet.valueOf(file.getProperty("gatehouse.api-keys.alphabet").toUpperCase()),
                Integer.parseInt(file.getProperty("gatehouse.api-keys.random-length")),
                length == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(length)));
    }

    /** The regex in the file's "# Key regex: " comment; exactly one such line. */
    static String documentedRegex(String name) {
        try {
            List<String> lines = Files.readAllLines(Path.of("examples", name + ".properties")).stream()
                    .filter(line -> line.startsWith(KEY_REGEX)).toList();
            assertEquals(1, lines.size(), "one '" + KEY_REGEX + "' comment in examples/" + name + ".properties");
            return lines.getFirst().substring(KEY_REGEX.length());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
