import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * Writes N API keys as rows of Gatehouse's {@code token} table, in PostgreSQL's COPY text format, to standard
 * output: {@code bench/seed-keys.sh} pipes them into {@code psql -c "\copy token (...) from stdin"}. JDK classes
 * only; run with the source launcher:
 *
 * <pre>
 * java bench/seed/SeedKeys.java --account=UUID --count=1000000 [--sample=10000 --sample-file=PATH]
 *     [--label=seed] [--scopes=profile:read] [--environment=live] [--prefix=gth_live_]
 *     [--alphabet=base62] [--random-length=32] [--label-start=1]
 * </pre>
 *
 * Each key is made as {@code dev.gatehouse.pat.ApiKeyFormat.mint} makes one (prefix, random part from
 * SecureRandom, CRC32 checksum of the random part in the same alphabet, GitHub's layout with the full 32-bit
 * checksum) and its row as {@code TokenStore.issue} writes it: {@code secret_hash} = SHA-256 of the full key
 * string, {@code display_prefix} = the prefix and the first 5 random characters, {@code preview} = that, an
 * ellipsis and the last 4 characters, kind {@code api_key}, the given scopes, label and environment, and
 * {@code created_at} one microsecond apart. The columns, in order, are printed by {@code --columns}.
 *
 * <p>The plaintext of every key is forgotten at once, except for {@code --sample} keys spread evenly over the
 * run, written one a line to {@code --sample-file} (created with mode 600; it must not exist): what a load
 * test presents. Nothing else is printed on standard output; a summary goes to standard error.
 */
public final class SeedKeys {
    static final String COLUMNS = "id, kind, account_id, secret_hash, display_prefix, preview, label, scopes, environment, created_at";
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
    /** ApiKeyFormat.MAX_DISPLAY_CHARS, PREVIEW_TAIL, MIN_RANDOM_BITS. */
    private static final int MAX_DISPLAY_CHARS = 5, PREVIEW_TAIL = 4, MIN_RANDOM_BITS = 128;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSXXX")
            .withZone(ZoneOffset.UTC);

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        if (options.containsKey("columns")) {
            System.out.println(COLUMNS);
            return;
        }
        UUID account = UUID.fromString(required(options, "account"));
        long count = Long.parseLong(options.getOrDefault("count", "1000000"));
        int sample = Integer.parseInt(options.getOrDefault("sample", "0"));
        String label = options.getOrDefault("label", "seed");
        long labelStart = Long.parseLong(options.getOrDefault("label-start", "1"));
        String environment = options.getOrDefault("environment", "live");
        String prefix = options.getOrDefault("prefix", environment.equals("test") ? "gth_test_" : "gth_live_");
        String alphabet = switch (options.getOrDefault("alphabet", "base62")) {
            case "base62" -> BASE62;
            case "base32" -> BASE32;
            default -> throw new IllegalArgumentException("--alphabet is base62 or base32");
        };
        int randomLength = Integer.parseInt(options.getOrDefault("random-length", "32"));
        List<String> scopes = List.of(options.getOrDefault("scopes", "profile:read").split(","));
        if (count < 1 || sample < 0 || sample > count) {
            throw new IllegalArgumentException("--count must be at least 1 and --sample between 0 and --count");
        }
        if (!environment.equals("live") && !environment.equals("test")) {
            throw new IllegalArgumentException("--environment is live or test");
        }
        for (String text : new ArrayList<>(List.of(label, prefix, String.join(",", scopes)))) {
            // Nothing that COPY's text format or an array literal would have to escape.
            if (!text.matches("[A-Za-z0-9_:.\\- ]+")) {
                throw new IllegalArgumentException("label, prefix and scopes: letters, digits, _ : . - and spaces only, not '" + text + "'");
            }
        }

        double bitsPerSymbol = Math.log(alphabet.length()) / Math.log(2);
        int randomBits = (int) (randomLength * bitsPerSymbol);
        if (randomBits < MIN_RANDOM_BITS) {
            throw new IllegalArgumentException("--random-length " + randomLength + " gives " + randomBits + " bits; 128 at least");
        }
        int checksumLength = (int) Math.ceil(32 / bitsPerSymbol);
        int displayChars = (int) Math.min(MAX_DISPLAY_CHARS, Math.floor((randomBits - MIN_RANDOM_BITS) / bitsPerSymbol));

        PrintStream sampleOut = null;
        if (sample > 0) {
            Path file = Path.of(required(options, "sample-file"));
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            sampleOut = new PrintStream(Files.newOutputStream(file, StandardOpenOption.WRITE), false, StandardCharsets.US_ASCII);
        }

        long started = System.nanoTime();
        SecureRandom random = new SecureRandom();
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        CRC32 crc = new CRC32();
        HexFormat hex = HexFormat.of();
        byte[] symbols = alphabet.getBytes(StandardCharsets.US_ASCII);
        // Unbiased symbols from random bytes: a byte is kept when below the largest multiple of the alphabet's size.
        int keepBelow = 256 - 256 % symbols.length;
        byte[] pool = new byte[1 << 16];
        int poolAt = pool.length;
        byte[] uuidBytes = new byte[16];
        String scopesLiteral = "{" + String.join(",", scopes) + "}";
        byte[] fixedKind = ("\tapi_key\t" + account + "\t\\\\x").getBytes(StandardCharsets.US_ASCII);
        byte[] prefixBytes = prefix.getBytes(StandardCharsets.US_ASCII);
        Instant createdBase = Instant.now().minusNanos(count * 1000);
        long sampleEvery = sample == 0 ? Long.MAX_VALUE : count / sample;
        int sampled = 0;

        OutputStream out = new BufferedOutputStream(System.out, 1 << 20);
        byte[] key = new byte[prefixBytes.length + randomLength + checksumLength];
        System.arraycopy(prefixBytes, 0, key, 0, prefixBytes.length);
        StringBuilder row = new StringBuilder(512);
        for (long i = 0; i < count; i++) {
            // The random part.
            int at = prefixBytes.length;
            while (at < prefixBytes.length + randomLength) {
                if (poolAt == pool.length) {
                    random.nextBytes(pool);
                    poolAt = 0;
                }
                int b = pool[poolAt++] & 0xff;
                if (b < keepBelow) {
                    key[at++] = symbols[b % symbols.length];
                }
            }
            // CRC32 of the random part's ASCII, written in the alphabet, most significant symbol first.
            crc.reset();
            crc.update(key, prefixBytes.length, randomLength);
            long rest = crc.getValue();
            for (int j = key.length - 1; j >= prefixBytes.length + randomLength; j--) {
                key[j] = symbols[(int) (rest % symbols.length)];
                rest /= symbols.length;
            }
            String plaintext = new String(key, StandardCharsets.US_ASCII);
            byte[] hash = sha256.digest(key);

            // A random (version 4) UUID, as UUID.randomUUID makes.
            for (int j = 0; j < 16; j++) {
                if (poolAt == pool.length) {
                    random.nextBytes(pool);
                    poolAt = 0;
                }
                uuidBytes[j] = pool[poolAt++];
            }
            uuidBytes[6] = (byte) ((uuidBytes[6] & 0x0f) | 0x40);
            uuidBytes[8] = (byte) ((uuidBytes[8] & 0x3f) | 0x80);
            String displayPrefix = plaintext.substring(0, prefixBytes.length + displayChars);

            row.setLength(0);
            row.append(hex.formatHex(uuidBytes, 0, 4)).append('-').append(hex.formatHex(uuidBytes, 4, 6)).append('-')
                    .append(hex.formatHex(uuidBytes, 6, 8)).append('-').append(hex.formatHex(uuidBytes, 8, 10)).append('-')
                    .append(hex.formatHex(uuidBytes, 10, 16));
            out.write(row.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(fixedKind);
            row.setLength(0);
            row.append(hex.formatHex(hash)).append('\t')
                    .append(displayPrefix).append('\t')
                    .append(displayPrefix).append('…').append(plaintext, plaintext.length() - PREVIEW_TAIL, plaintext.length()).append('\t')
                    .append(label).append(' ').append(labelStart + i).append('\t')
                    .append(scopesLiteral).append('\t')
                    .append(environment).append('\t')
                    .append(TIMESTAMP.format(createdBase.plusNanos(i * 1000))).append('\n');
            out.write(row.toString().getBytes(StandardCharsets.UTF_8));

            if (sampleOut != null && sampled < sample && i % sampleEvery == 0) {
                sampleOut.println(plaintext);
                sampled++;
            }
        }
        out.flush();
        if (sampleOut != null) {
            sampleOut.close();
            if (sampleOut.checkError()) {
                throw new IOException("writing the sample file failed");
            }
        }
        System.err.printf("SeedKeys: %d keys (%s..., %d random %s characters + %d checksum) for account %s generated in %.1f s; %d sampled%n",
                count, prefix, randomLength, alphabet == BASE62 ? "base62" : "base32", checksumLength, account,
                (System.nanoTime() - started) / 1e9, sampled);
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("options are --name=value, not '" + arg + "'");
            }
            int equals = arg.indexOf('=');
            options.put(equals < 0 ? arg.substring(2) : arg.substring(2, equals), equals < 0 ? "" : arg.substring(equals + 1));
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
