package dev.gatehouse.pat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Builds the deployment's key format once; a bad configuration stops start-up with the reason. */
@ApplicationScoped
public class ApiKeyFormatProducer {
    @Produces
    @ApplicationScoped
    ApiKeyFormat format(ApiKeyConfig config) {
        return new ApiKeyFormat(config.livePrefix(), config.testPrefix(), config.alphabet(), config.randomLength());
    }
}
