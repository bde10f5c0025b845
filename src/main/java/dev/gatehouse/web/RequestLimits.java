package dev.gatehouse.web;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A body announced larger than {@code quarkus.http.limits.max-body-size} is refused before any of it is
 * read, in the deployment's error shape (413), so a caller learns the limit instead of meeting a closed
 * connection. A chunked body past the limit is cut off by the server itself (413 too); headers past
 * {@code quarkus.http.limits.max-header-size} get 431 before any route runs. docs/limits.md.
 */
@ApplicationScoped
public class RequestLimits {
    private final long maxBody;

    RequestLimits(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        this.maxBody = maxBody.asLongValue();
    }

    /** The most bytes of body this service reads. */
    public long maxBody() {
        return maxBody;
    }

    /** What a caller whose body is past {@link #maxBody()} is told, in whichever error shape its endpoint answers. */
    public String tooLarge() {
        return "The request body is larger than " + maxBody + " bytes, the most this service reads";
    }

    void install(@Observes Router router) {
        router.route().order(-200).handler(context -> {
            String length = context.request().getHeader("Content-Length");
            long announced;
            try {
                announced = length == null ? -1 : Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                announced = -1; // the HTTP codec refuses a malformed length itself
            }
            if (announced > maxBody) {
                context.response().setStatusCode(413).putHeader("Content-Type", "application/json").putHeader("Connection", "close")
                        .end(Json.encode(new ErrorBody(413, "Content Too Large", tooLarge(), null, null)));
                return;
            }
            context.next();
        });
    }
}
