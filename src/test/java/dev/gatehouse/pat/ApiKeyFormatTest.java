package dev.gatehouse.pat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.token.Environment;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The key format of specs.md §10.1: prefix, random part, CRC32 checksum. */
class ApiKeyFormatTest {
    private final ApiKeyFormat base62 = new ApiKeyFormat("gth_live_", "gth_test_", KeyAlphabet.BASE62, 32);

    @Test
    void checksumMatchesGitHubsPublishedAlgorithm() {
        // Test vectors from specs.md §10.1 (CRC32-IEEE in base62, left-padded to six characters).
        assertEquals("1yLcDB", base62.checksum("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
        assertEquals("3mpbCX", base62.checksum("0123456789abcdefghijABCDEFGHIJ"));
    }

    @Test
    void mintedKeysPassTheCheckAndNameTheirEnvironment() {
        var live = base62.mint(Environment.LIVE);
        var test = base62.mint(Environment.TEST);
        assertEquals(Optional.of(Environment.LIVE), base62.check(live.plaintext()));
        assertEquals(Optional.of(Environment.TEST), base62.check(test.plaintext()));
        assertEquals("gth_live_".length() + 32 + 6, live.plaintext().length());
    }

    @Test
    void anySingleTypoFailsTheCheck() {
        String key = base62.mint(Environment.LIVE).plaintext();
        for (int i = "gth_live_".length(); i < key.length(); i++) {
            char c = key.charAt(i);
            String typo = key.substring(0, i) + (c == 'x' ? 'y' : 'x') + key.substring(i + 1);
            assertEquals(Optional.empty(), base62.check(typo), "typo at " + i);
        }
        assertEquals(Optional.empty(), base62.check(key + "a"));
        assertEquals(Optional.empty(), base62.check(key.substring(1)));
        assertEquals(Optional.empty(), base62.check("gth_prod_" + key.substring(9)));
    }

    @Test
    void keysAreRandomAndMatchTheDocumentedRegex() {
        Pattern regex = Pattern.compile(base62.regex());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String key = base62.mint(i % 2 == 0 ? Environment.LIVE : Environment.TEST).plaintext();
            assertTrue(regex.matcher("token=" + key + " ").find(), key);
            seen.add(key);
        }
        assertEquals(1000, seen.size());
    }

    @Test
    void jobbyShapeBase32WithNestedPrefixes() {
        // Seed 000: jbb_ + 32 base32-ish characters (then the checksum); its sandbox prefix starts with the live one.
        var jobby = new ApiKeyFormat("jbb_", "jbb_test_", KeyAlphabet.BASE32, 32);
        String live = jobby.mint(Environment.LIVE).plaintext();
        String test = jobby.mint(Environment.TEST).plaintext();
        assertTrue(live.matches("jbb_[a-z2-7]{32}[a-z2-7]{7}"), live);
        assertEquals(Optional.of(Environment.LIVE), jobby.check(live));
        assertEquals(Optional.of(Environment.TEST), jobby.check(test));
        assertTrue(Pattern.compile(jobby.regex()).matcher(test).matches());
    }

    @Test
    void displayPrefixAndPreviewShowOnlyTheEnds() {
        var key = base62.mint(Environment.LIVE);
        String plaintext = key.plaintext();
        assertEquals(plaintext.substring(0, 14), key.displayPrefix());
        assertEquals(plaintext.substring(0, 14) + "…" + plaintext.substring(plaintext.length() - 4), key.preview());
        assertFalse(key.toString().contains(plaintext));
    }

    @Test
    void configurationsWeakerThan160BitsOrAmbiguousAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ApiKeyFormat("a_", "b_", KeyAlphabet.BASE62, 26));
        assertThrows(IllegalArgumentException.class, () -> new ApiKeyFormat("a_", "b_", KeyAlphabet.BASE32, 31));
        assertThrows(IllegalArgumentException.class, () -> new ApiKeyFormat("jbb", "jbbt_", KeyAlphabet.BASE32, 32));
        assertThrows(IllegalArgumentException.class, () -> new ApiKeyFormat("same_", "same_", KeyAlphabet.BASE62, 32));
        new ApiKeyFormat("a_", "b_", KeyAlphabet.BASE62, 27);
        new ApiKeyFormat("a_", "b_", KeyAlphabet.BASE32, 32);
    }
}
