package dev.gatehouse.web;

/**
 * Text a person will read (a key's label, a client's name): it must show what it is. Control characters
 * (C0, C1: line breaks, NUL, escapes) and Unicode format characters (category Cf: zero-width spaces and
 * joiners, bidirectional overrides such as U+202E) can make it read as something else, so they are refused.
 */
public final class DisplayText {
    private DisplayText() {
    }

    /** Whether {@code text} holds a control or format character, or a line or paragraph separator. */
    public static boolean hasHiddenCharacters(String text) {
        return text.codePoints().anyMatch(c -> {
            int type = Character.getType(c);
            return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE || type == Character.UNASSIGNED;
        });
    }
}
