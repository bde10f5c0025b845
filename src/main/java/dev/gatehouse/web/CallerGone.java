package dev.gatehouse.web;

import dev.gatehouse.outcome.Causes;
import io.vertx.core.http.HttpClosedException;

/**
 * A caller that closed its connection before its request was read (a load generator stopping, a browser
 * navigating away) is no fault of the server's: logged at debug, never as an error with a stack. Vert.x
 * reports it as an {@link HttpClosedException} while the request's body is read; Gatehouse makes no
 * outbound call through Vert.x's HTTP client that could raise one for another connection.
 */
final class CallerGone {
    private CallerGone() {
    }

    static boolean causedBy(Throwable failure) {
        return Causes.any(failure, cause -> cause instanceof HttpClosedException);
    }
}
