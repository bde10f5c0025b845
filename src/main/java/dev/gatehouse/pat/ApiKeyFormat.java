package dev.gatehouse.pat;

import dev.gatehouse.token.Environment;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.zip.CRC32;

/**
 * The shape of an API key: {@code <prefix><random><checksum>}, after GitHub's token format (specs.md §10.1).
 * The prefix names the deployment and environment so secret scanners can find keys; the random part is
 * drawn from {@link SecureRandom}; the checksum is CRC32 (IEEE) of the random part's ASCII, written in the
 * same alphabet. A mistyped or invented key fails the checksum and is refused before any lookup.
 *
 * <p>The checksum is {@code CRC32 mod size^n} written as {@code n} symbols, most significant first, left-padded
 * with the alphabet's first symbol. By default {@code n} is the alphabet's full width (6 in base62, 7 in
 * base32), where the reduction changes nothing: that is GitHub's checksum exactly. A deployment whose seed
 * fixes the total {@link #length()} after the prefix (Jobby.dev: 32) gets {@code n = length - randomLength}
 * instead, down to {@link #MIN_CHECKSUM_CHARS}.
 */
public final class ApiKeyFormat {
    /**
     * At most this many random characters are shown after the prefix (seed 001: {@code jbf_live_abc12}); fewer
     * when showing them would leave under {@link #MIN_RANDOM_BITS} unseen, since what is shown is logged and
     * mailed. Jobby.dev's 130-bit keys show none: the preview's tail (checksum characters) tells them apart.
     */
    static final int MAX_DISPLAY_CHARS = 5;
    /** How many trailing characters the preview shows (seed 003: first / last characters). */
    static final int PREVIEW_TAIL = 4;
    /**
     * 128 bits: beyond guessing for any attacker (NIST SP 800-63B asks 112 of a secret of this kind), and
     * what a 32-character key (seed 000) can hold beside a checksum: 26 base32 or 22 base62 characters.
     */
    public static final int MIN_RANDOM_BITS = 128;
    /**
     * Below four symbols (20 bits in base32) too many typos and invented keys would pass the check and reach
     * the database; four still lets through fewer than one in a million.
     */
    public static final int MIN_CHECKSUM_CHARS = 4;

    private final Map<Environment, String> prefixes;
    private final List<Map.Entry<Environment, String>> longestPrefixFirst;
    private final KeyAlphabet alphabet;
    private final int randomLength;
    private final int checksumLength;
    /** Random characters the display prefix shows: never so many that fewer than 128 bits stay unseen. */
    private final int displayChars;
    private final SecureRandom random = new SecureRandom();

    /** A freshly minted key. {@code plaintext} leaves the server once and is never stored. */
    public record MintedKey(String plaintext, Environment environment, String displayPrefix, String preview) {
        @Override
        public String toString() {
            return "MintedKey[" + displayPrefix + "…]";
        }
    }

    /** GitHub's layout: the full 32-bit checksum after the random part. */
    public ApiKeyFormat(String livePrefix, String testPrefix, KeyAlphabet alphabet, int randomLength) {
        this(livePrefix, testPrefix, alphabet, randomLength, OptionalInt.empty());
    }

    /**
     * @param length characters after the prefix, random part and checksum together; empty for the full
     *        32-bit checksum after {@code randomLength} characters
     */
    public ApiKeyFormat(String livePrefix, String testPrefix, KeyAlphabet alphabet, int randomLength, OptionalInt length) {
        this.prefixes = Map.of(Environment.LIVE, livePrefix, Environment.TEST, testPrefix);
        this.longestPrefixFirst = prefixes.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<Environment, String> e) -> e.getValue().length()).reversed())
                .toList();
        this.alphabet = alphabet;
        this.randomLength = randomLength;
        this.checksumLength = length.orElse(randomLength + alphabet.checksumLength()) - randomLength;
        checkConfiguration();
        this.displayChars = (int) Math.min(MAX_DISPLAY_CHARS,
                Math.floor((randomBits() - MIN_RANDOM_BITS) / alphabet.bitsPerSymbol()));
    }

    private void checkConfiguration() {
        if (randomBits() < MIN_RANDOM_BITS) {
            throw new IllegalArgumentException("gatehouse.api-keys.random-length " + randomLength + " gives "
                    + randomBits() + " random bits; at least " + MIN_RANDOM_BITS
                    + " are required (" + (int) Math.ceil(MIN_RANDOM_BITS / alphabet.bitsPerSymbol()) + " characters in "
                    + alphabet.name().toLowerCase() + ")");
        }
        if (checksumLength < MIN_CHECKSUM_CHARS) {
            throw new IllegalArgumentException("gatehouse.api-keys.length " + length() + " leaves " + checksumLength
                    + " checksum characters after " + randomLength + " random ones; at least " + MIN_CHECKSUM_CHARS
                    + " are required (length at least " + (randomLength + MIN_CHECKSUM_CHARS)
                    + ", or fewer random characters)");
        }
        if (checksumLength > alphabet.checksumLength()) {
            // More symbols than a 32-bit CRC needs would only be padding: surely a mistaken length.
            throw new IllegalArgumentException("gatehouse.api-keys.length " + length() + " asks " + checksumLength
                    + " checksum characters; " + alphabet.checksumLength() + " already hold the whole CRC32 in "
                    + alphabet.name().toLowerCase() + " (length at most " + (randomLength + alphabet.checksumLength())
                    + ", or more random characters)");
        }
        if (prefixes.get(Environment.LIVE).equals(prefixes.get(Environment.TEST))) {
            throw new IllegalArgumentException("live and test API keys need distinct prefixes");
        }
        prefixes.forEach((environment, prefix) -> {
            // A prefix ending in a character outside the alphabet (GitHub's "_") can never be confused with
            // the start of another prefix's random part, so parsing is unambiguous.
            if (prefix.isEmpty() || alphabet.contains(prefix.charAt(prefix.length() - 1))) {
                throw new IllegalArgumentException("the " + environment.value() + " API key prefix '" + prefix
                        + "' must end with a character outside the key alphabet, such as '_'");
            }
        });
    }

    public MintedKey mint(Environment environment) {
        char[] body = new char[randomLength];
        for (int i = 0; i < randomLength; i++) {
            body[i] = alphabet.symbol(random.nextInt(alphabet.size()));
        }
        String randomPart = new String(body);
        String prefix = prefixes.get(environment);
        String plaintext = prefix + randomPart + checksum(randomPart);
        String displayPrefix = prefix + randomPart.substring(0, displayChars);
        String preview = displayPrefix + "…" + plaintext.substring(plaintext.length() - PREVIEW_TAIL);
        return new MintedKey(plaintext, environment, displayPrefix, preview);
    }

    /**
     * The environment of a well-formed key with a valid checksum; empty for anything else. Touches no
     * storage: this is the check that keeps typos and guesses away from the database.
     */
    public Optional<Environment> check(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        for (Map.Entry<Environment, String> entry : longestPrefixFirst) {
            String prefix = entry.getValue();
            if (presented.startsWith(prefix)) {
                return hasValidBody(presented, prefix.length()) ? Optional.of(entry.getKey()) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    private boolean hasValidBody(String presented, int start) {
        if (presented.length() != start + length()) {
            return false;
        }
        for (int i = start; i < presented.length(); i++) {
            if (!alphabet.contains(presented.charAt(i))) {
                return false;
            }
        }
        String randomPart = presented.substring(start, start + randomLength);
        return presented.endsWith(checksum(randomPart));
    }

    /** True when {@code value} starts like one of this deployment's keys, valid or not. */
    public boolean looksLikeKey(String value) {
        for (Map.Entry<Environment, String> entry : longestPrefixFirst) {
            if (value.startsWith(entry.getValue())) {
                return true;
            }
        }
        return false;
    }

    /** CRC32 (IEEE) of the random part's ASCII, mod size^checksumLength, most significant symbol first. */
    String checksum(String randomPart) {
        CRC32 crc = new CRC32();
        crc.update(randomPart.getBytes(StandardCharsets.US_ASCII));
        return alphabet.encode(crc.getValue(), checksumLength);
    }

    /** Characters after the prefix: random part and checksum. */
    public int length() {
        return randomLength + checksumLength;
    }

    public int randomLength() {
        return randomLength;
    }

    public int checksumLength() {
        return checksumLength;
    }

    /** Whole bits of randomness in a key (130 for 26 base32 characters). */
    public int randomBits() {
        return (int) (randomLength * alphabet.bitsPerSymbol());
    }

    public KeyAlphabet alphabet() {
        return alphabet;
    }

    public String prefix(Environment environment) {
        return prefixes.get(environment);
    }

    /** A regex matching every key this deployment issues, for secret scanners and the README. */
    public String regex() {
        String prefixAlternatives = prefixes.values().stream().sorted()
                .map(prefix -> prefix.replaceAll("[^A-Za-z0-9_]", "\\\\$0"))
                .collect(java.util.stream.Collectors.joining("|"));
        return "\\b(?:" + prefixAlternatives + ")" + alphabet.regexClass() + "{" + length() + "}\\b";
    }
}
