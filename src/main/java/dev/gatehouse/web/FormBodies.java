package dev.gatehouse.web;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * The forms of the OAuth endpoints that take one per request ({@code /oauth2/token}, {@code introspect},
 * {@code revoke}) are read whole on the event loop before the endpoint runs, which then reads them from
 * memory. Left to the REST layer, a blocking endpoint reads its form through a stream the event loop feeds
 * under a shared lock: on 2 cores the hand-over was about a sixth of the token endpoint's CPU (issue 11,
 * docs/benchmarks.md). Only those paths: anything else is read as before, after its own checks.
 *
 * <p>A form past the HTTP limits (a field over {@code quarkus.http.limits.max-form-attribute-size}, too many
 * fields, a body over {@code max-body-size} sent chunked, so {@link RequestLimits} could not refuse it up
 * front) or a malformed one is refused here in the OAuth error shape (RFC 6749 §5.2), as the endpoint would have.
 *
 * <p>HTTP/2 requests (over TLS, or plain HTTP upgraded by h2c) are left to the REST layer, which reads them
 * as a stream.
 */
@ApplicationScoped
public class FormBodies {
    private static final Logger LOG = Logger.getLogger(FormBodies.class);
    static final String PATHS = "/oauth2/(token|introspect|revoke)";

    private final RequestLimits limits;

    FormBodies(RequestLimits limits) {
        this.limits = limits;
    }

    void install(@Observes Router router) {
        // Form fields stay out of request.params(), which the credential reader takes for the query string.
        BodyHandler forms = BodyHandler.create(false).setBodyLimit(limits.maxBody()).setMergeFormAttributes(false);
        router.routeWithRegex(HttpMethod.POST, PATHS).order(-150).consumes("application/x-www-form-urlencoded")
                .handler(context -> {
                    if (context.request().version() == HttpVersion.HTTP_2) {
                        // An HTTP/2 stream read to its end cannot be paused, and the REST layer pauses every request
                        // it takes: read ahead, the form would be refused (an h2c upgrade, Java's default client).
                        context.next();
                        return;
                    }
                    forms.handle(context);
                })
                .failureHandler(context -> {
                    if (context.response().closed() || context.response().ended()) {
                        LOG.debugf("%s %s: the caller closed the connection before its form was read", context.request().method(),
                                context.request().path());
                        return; // nobody to answer
                    }
                    int status = context.statusCode() == 413 ? 413 : 400;
                    context.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                            .putHeader("Cache-Control", "no-store")
                            .end(new JsonObject().put("error", "invalid_request").put("error_description", status == 413
                                    ? limits.tooLarge()
                                    : "The form could not be read: a field too long, too many fields, or malformed").encode());
                });
    }
}
