package dev.gatehouse.web;

import io.vertx.core.http.HttpClosedException;
import java.nio.channels.ClosedChannelException;

/**
 * A caller that closed its connection before its request was read (a load generator stopping, a browser
 * navigating away) is no fault of the server's: logged at debug, never as an error with a stack.
 */
final class CallerGone {
    private CallerGone() {
    }

    static boolean causedBy(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof HttpClosedException || cause instanceof ClosedChannelException) {
                return true;
            }
        }
        return false;
    }
}
