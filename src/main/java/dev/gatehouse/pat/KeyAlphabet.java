package dev.gatehouse.pat;

/** The characters of an API key's random part and checksum. */
public enum KeyAlphabet {
    /** GitHub's alphabet: digits, upper case, lower case. About 5.95 bits a character. */
    BASE62("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
    /** RFC 4648 base32 in lower case (Jobby.dev's "base32-ish"): 5 bits a character. */
    BASE32("abcdefghijklmnopqrstuvwxyz234567");

    private final char[] symbols;
    private final boolean[] member = new boolean[128];

    KeyAlphabet(String symbols) {
        this.symbols = symbols.toCharArray();
        for (char c : this.symbols) {
            member[c] = true;
        }
    }

    public int size() {
        return symbols.length;
    }

    public char symbol(int index) {
        return symbols[index];
    }

    public boolean contains(char c) {
        return c < 128 && member[c];
    }

    public double bitsPerSymbol() {
        return Math.log(symbols.length) / Math.log(2);
    }

    /** How many symbols hold any 32-bit value (6 in base62, 7 in base32). */
    public int checksumLength() {
        return (int) Math.ceil(32 / bitsPerSymbol());
    }

    /**
     * {@code value} (unsigned) mod size^width in this alphabet, most significant symbol first, left-padded to
     * {@code width} with the first symbol: the last {@code width} digits of {@code value} in this base.
     */
    public String encode(long value, int width) {
        char[] out = new char[width];
        long rest = value;
        for (int i = width - 1; i >= 0; i--) {
            out[i] = symbols[(int) (rest % symbols.length)];
            rest /= symbols.length;
        }
        return new String(out);
    }

    /** A regex character class matching this alphabet. */
    public String regexClass() {
        return this == BASE62 ? "[0-9A-Za-z]" : "[a-z2-7]";
    }
}
