package dev.gatehouse.verification;

/** What a request offers as a credential, before anything is looked up. */
public sealed interface PresentedCredential {
    /** Nothing in any accepted header. */
    record None() implements PresentedCredential {
    }

    /** A credential in the URL query, where it leaks into logs and caches (RFC 6750 §2.3, seed 000). */
    record InQuery() implements PresentedCredential {
    }

    /** Different values in two accepted headers (RFC 6750 §2: one method per request). */
    record Conflicting() implements PresentedCredential {
    }

    /** A credential in a header that does not carry its kind; {@code expected} names the right ones. */
    record WrongHeader(String expected) implements PresentedCredential {
    }

    record Token(String value) implements PresentedCredential {
        @Override
        public String toString() {
            return "Token[…]";
        }
    }
}
