package dev.gatehouse.web;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Form bodies (the token, introspection and revocation endpoints, the sign-in pages) are read whole on the
 * event loop before the endpoint runs, and the endpoint then reads them from memory. Left to the REST layer,
 * a blocking endpoint reads its form through a stream the event loop feeds under a shared lock: on 2 cores
 * the hand-over was about a sixth of the token endpoint's CPU (issue 11, docs/benchmarks.md). Bodies are at
 * most {@code quarkus.http.limits.max-body-size}, as everywhere ({@link RequestLimits} refuses a larger one
 * announced up front).
 */
@ApplicationScoped
public class FormBodies {
    private static final Logger LOG = Logger.getLogger(FormBodies.class);
    private final long maxBody;

    FormBodies(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        this.maxBody = maxBody.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(-150).consumes("application/x-www-form-urlencoded")
                .handler(BodyHandler.create(false).setBodyLimit(maxBody).setDeleteUploadedFilesOnEnd(true))
                .failureHandler(context -> {
                    if (CallerGone.causedBy(context.failure())) {
                        LOG.debugf("%s %s: the caller closed the connection before its form was read", context.request().method(),
                                context.request().path());
                        return; // nobody to answer
                    }
                    context.next();
                });
    }
}
