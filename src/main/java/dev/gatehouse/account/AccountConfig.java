package dev.gatehouse.account;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code gatehouse.*} settings for people: sessions, sign-in throttling, passwords, the demo account. */
@ConfigMapping(prefix = "gatehouse")
public interface AccountConfig {
    Session session();

    Login login();

    Passwords passwords();

    Demo demo();

    Signup signup();

    /** {@code gatehouse.signup.*}: how people create accounts (docs/threat-model.md, issue 10 finding 9). */
    interface Signup {
        /**
         * Whether sign-up is finished through an emailed link, answering alike whether or not the address
         * already has an account (whose owner is told by mail instead). Default: whenever mail can be sent.
         */
        java.util.Optional<Boolean> confirmByEmail();

        /** How long the emailed link works. */
        @WithDefault("1h")
        Duration linkLifetime();

        /** Sign-ups per caller address per window; past it, 429. */
        @WithDefault("10")
        int perAddress();

        /** Sign-up mails to one address per window, so nobody can flood an inbox through this form. */
        @WithDefault("3")
        int mailsPerEmail();

        @WithDefault("1h")
        Duration window();
    }

    interface Session {
        @WithDefault("gatehouse_session")
        String cookieName();

        /** Absolute lifetime of a dashboard session. */
        @WithDefault("12h")
        Duration lifetime();
    }

    interface Login {
        /** Failed sign-ins allowed per email and address within the window before further tries get 429. */
        @WithDefault("5")
        int maxFailures();

        /** Failed sign-ins allowed from one address, whatever the email, within the window. */
        @WithDefault("20")
        int maxFailuresPerAddress();

        /**
         * Failed sign-ins allowed for one email, whatever the address, within the window: many addresses
         * guessing at one account. Reaching it refuses that account's sign-ins (even its owner's) until the
         * window closes or an operator unlocks it, so it sits well above what a person mistypes.
         */
        @WithDefault("50")
        int maxFailuresPerAccount();

        @WithDefault("15m")
        Duration failureWindow();
    }

    interface Passwords {
        @WithDefault("10")
        int minLength();

        /** How long an emailed reset link works. */
        @WithDefault("30m")
        Duration resetLinkLifetime();

        /** Reset requests per caller address per {@code reset-window}; past it, 429. */
        @WithDefault("10")
        int resetsPerAddress();

        /** Reset mails to one address per {@code reset-window}, so nobody can flood an inbox through the form. */
        @WithDefault("3")
        int resetMailsPerEmail();

        @WithDefault("1h")
        Duration resetWindow();

        /** Argon2id memory in KiB (OWASP minimum: 19 MiB). */
        @WithDefault("19456")
        int argon2MemoryKib();

        @WithDefault("2")
        int argon2Iterations();

        /**
         * Hashes computed at once; more wait their turn. Each holds {@code argon2-memory-kib} on the heap while
         * it runs, so this bounds what sign-ins can take of it (the documented -Xmx leaves room for one), and a
         * burst of sign-ins queues instead of failing with OutOfMemoryError. At least 1.
         */
        @WithDefault("1")
        int maxConcurrentHashes();
    }

    interface Demo {
        /** Seeds a demo account at start-up (on in dev mode). */
        @WithDefault("false")
        boolean enabled();

        @WithDefault("demo@gatehouse.local")
        String email();

        @WithDefault("demo-password-123")
        String password();
    }
}
