package dev.gatehouse.pat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.token.Environment;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalInt;
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

    /** Seed 000: jbb_ + 32 base32-ish characters, checksum included; its sandbox prefix starts with the live one. */
    private final ApiKeyFormat jobby = new ApiKeyFormat("jbb_", "jbb_test_", KeyAlphabet.BASE32, 26, OptionalInt.of(32));

    @Test
    void jobbyShapeBase32WithNestedPrefixes() {
        String live = jobby.mint(Environment.LIVE).plaintext();
        String test = jobby.mint(Environment.TEST).plaintext();
        assertTrue(live.matches("jbb_[a-z2-7]{32}"), live);
        assertTrue(test.matches("jbb_test_[a-z2-7]{32}"), test);
        assertEquals(Optional.of(Environment.LIVE), jobby.check(live));
        assertEquals(Optional.of(Environment.TEST), jobby.check(test));
        assertTrue(Pattern.compile(jobby.regex()).matcher(test).matches());
        assertEquals(6, jobby.checksumLength());
        assertEquals(130, jobby.randomBits());
    }

    @Test
    void aShortChecksumIsCrc32ModAlphabetToTheNMostSignificantFirst() {
        // CRC32("a" x 26) = 0xE8B53AB8; mod 32^6 = 682965688 = digits 20,11,10,14,21,24 = "ulkovy".
        assertEquals("ulkovy", jobby.checksum("aaaaaaaaaaaaaaaaaaaaaaaaaa"));
        assertEquals(Optional.of(Environment.LIVE), jobby.check("jbb_aaaaaaaaaaaaaaaaaaaaaaaaaaulkovy"));
        // CRC32("abc…xyz") = 0x4C2750BD: the full seven symbols are "bgcouf5", six keep the last six.
        assertEquals("gcouf5", jobby.checksum("abcdefghijklmnopqrstuvwxyz"));
        assertEquals("bgcouf5", new ApiKeyFormat("jbb_", "jbb_test_", KeyAlphabet.BASE32, 26).checksum("abcdefghijklmnopqrstuvwxyz"));
    }

    @Test
    void everySingleCharacterSubstitutionInAJobbyKeyIsRefused() {
        // CRC32 is linear: whether a substitution changes the 30 checksum bits kept depends on the position
        // and the two characters only, not on the rest of the key, so one key tried exhaustively covers all.
        String key = jobby.mint(Environment.LIVE).plaintext();
        int tried = 0;
        for (int i = "jbb_".length(); i < key.length(); i++) {
            for (int s = 0; s < KeyAlphabet.BASE32.size(); s++) {
                char c = KeyAlphabet.BASE32.symbol(s);
                if (c != key.charAt(i)) {
                    String typo = key.substring(0, i) + c + key.substring(i + 1);
                    assertEquals(Optional.empty(), jobby.check(typo), typo);
                    tried++;
                }
            }
        }
        assertEquals(32 * 31, tried);
    }

    @Test
    void theDefaultIsTheFullChecksumByteForByte() {
        // A length that leaves the alphabet's full width is today's format: existing keys keep verifying.
        var explicit = new ApiKeyFormat("gth_live_", "gth_test_", KeyAlphabet.BASE62, 32, OptionalInt.of(38));
        String key = base62.mint(Environment.LIVE).plaintext();
        assertEquals(Optional.of(Environment.LIVE), explicit.check(key));
        assertEquals(38, base62.length());
        assertEquals(explicit.regex(), base62.regex());
        assertEquals("\\b(?:gth_live_|gth_test_)[0-9A-Za-z]{38}\\b", base62.regex());
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
    void configurationsWeakerThan128BitsShortChecksumsOrAmbiguousAreRefused() {
        var weak = assertThrows(IllegalArgumentException.class, () -> new ApiKeyFormat("a_", "b_", KeyAlphabet.BASE62, 21));
        assertEquals("gatehouse.api-keys.random-length 21 gives 125 random bits; at least 128 are required (22 characters in base62)",
                weak.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ApiKeyFormat("a_", "b_", KeyAlphabet.BASE32, 25));
        assertThrows(IllegalArgumentException.class, () -> new ApiKeyFormat("jbb", "jbbt_", KeyAlphabet.BASE32, 32));
        assertThrows(IllegalArgumentException.class, () -> new ApiKeyFormat("same_", "same_", KeyAlphabet.BASE62, 32));
        new ApiKeyFormat("a_", "b_", KeyAlphabet.BASE62, 22);
        new ApiKeyFormat("a_", "b_", KeyAlphabet.BASE32, 26);

        var shortChecksum = assertThrows(IllegalArgumentException.class,
                () -> new ApiKeyFormat("a_", "b_", KeyAlphabet.BASE32, 26, OptionalInt.of(29)));
        assertEquals("gatehouse.api-keys.length 29 leaves 3 checksum characters after 26 random ones; at least 4 are"
                + " required (length at least 30, or fewer random characters)", shortChecksum.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ApiKeyFormat("a_", "b_", KeyAlphabet.BASE32, 26, OptionalInt.of(20)));
        new ApiKeyFormat("a_", "b_", KeyAlphabet.BASE32, 26, OptionalInt.of(30));
        var padding = assertThrows(IllegalArgumentException.class,
                () -> new ApiKeyFormat("a_", "b_", KeyAlphabet.BASE32, 26, OptionalInt.of(34)));
        assertTrue(padding.getMessage().contains("7 already hold the whole CRC32"), padding.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ApiKeyFormat("a_", "b_", KeyAlphabet.BASE62, 32, OptionalInt.of(39)));
        new ApiKeyFormat("a_", "b_", KeyAlphabet.BASE32, 26, OptionalInt.of(33));
    }
}
