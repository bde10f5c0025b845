package dev.gatehouse.mail;

import io.quarkus.runtime.LaunchMode;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.Config;

/**
 * Whether this deployment can send mail: an SMTP host is configured ({@code quarkus.mailer.host}), or the
 * mock mailer is on (dev and test). Without it, the flows that need mail are neither advertised nor
 * offered: they answer a clear error instead of failing later.
 */
@ApplicationScoped
public class MailSetup {
    private final boolean available;

    MailSetup(Config config) {
        boolean mock = config.getOptionalValue("quarkus.mailer.mock", Boolean.class).orElse(LaunchMode.current() != LaunchMode.NORMAL);
        var host = config.getConfigValue("quarkus.mailer.host");
        // The extension's own default ("localhost") is not a choice anyone made.
        boolean hostChosen = host.getRawValue() != null && host.getSourceName() != null
                && !host.getSourceName().toLowerCase(java.util.Locale.ROOT).contains("default");
        this.available = mock || hostChosen;
    }

    public boolean available() {
        return available;
    }
}
