package dev.gatehouse.upstream;

import io.quarkus.arc.Arc;
import io.quarkus.qute.TemplateGlobal;
import java.util.List;

/**
 * The sign-in page's "Sign in with …" buttons, one per configured provider, as a template global: the page
 * (in the account feature) names {@code upstreamProviders} and needs no dependency on this package.
 */
@TemplateGlobal
final class UpstreamButtons {
    private UpstreamButtons() {
    }

    static List<UpstreamProviders.Listed> upstreamProviders() {
        return Arc.container().instance(UpstreamProviders.class).get().listed();
    }
}
