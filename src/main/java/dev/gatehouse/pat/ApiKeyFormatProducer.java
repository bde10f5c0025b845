package dev.gatehouse.pat;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Builds the deployment's key format once; a bad configuration stops start-up with the reason. */
@ApplicationScoped
public class ApiKeyFormatProducer {
    /** {@code @Startup}: built at boot, not at the first key, so a refused configuration never starts serving. */
    @Produces
    @ApplicationScoped
    @Startup
    ApiKeyFormat format(ApiKeyConfig config) {
        return new ApiKeyFormat(config.livePrefix(), config.testPrefix(), config.alphabet(), config.randomLength(),
                config.length());
    }
}
