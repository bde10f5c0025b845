package dev.gatehouse.usage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/** {@code gatehouse.usage.alerts.*}: the 24-hour high-usage alert (seed 003). Off unless a threshold is set. */
@ConfigMapping(prefix = "gatehouse.usage.alerts")
public interface UsageAlertsConfig {
    /** Uses of one key in a rolling 24 hours that raise an alert; unset: no alerts. */
    OptionalLong threshold();

    /** Where the signed {@code api_key.usage.threshold_crossed} event is posted; unset: mail only. */
    Optional<URI> webhookUrl();

    /** Standard Webhooks secret, {@code whsec_} + base64; required with a webhook URL. */
    Optional<String> webhookSecret();

    /** How long one webhook call may take, connecting included. */
    @WithDefault("5s")
    Duration webhookTimeout();

    /** Sending attempts per alert (mail and webhook each) before it is given up. */
    @WithDefault("5")
    int maxAttempts();

    /** Wait before an alert whose mail or webhook failed is tried again. */
    @WithDefault("1m")
    Duration retryDelay();
}
