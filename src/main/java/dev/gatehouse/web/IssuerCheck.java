package dev.gatehouse.web;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import org.jboss.logging.Logger;

/**
 * Refuses to start with an issuer that RFC 8414 §2 forbids (specs.md §3): an absolute http(s) URL with
 * no query or fragment. Plain http only for loopback hosts, as in development.
 */
@ApplicationScoped
public class IssuerCheck {
    private static final Logger LOG = Logger.getLogger(IssuerCheck.class);

    void check(@Observes StartupEvent event, ServerConfig config) {
        URI issuer = config.issuer();
        String problem = problem(issuer);
        if (problem != null) {
            throw new IllegalStateException("gatehouse.issuer (GATEHOUSE_ISSUER) " + issuer + " " + problem);
        }
        LOG.infof("Issuer: %s", issuer);
    }

    static String problem(URI issuer) {
        if (!issuer.isAbsolute() || issuer.getHost() == null) {
            return "must be an absolute URL";
        }
        if (issuer.getQuery() != null || issuer.getFragment() != null) {
            return "must have no query or fragment";
        }
        boolean loopback = issuer.getHost().equals("localhost") || issuer.getHost().equals("127.0.0.1")
                || issuer.getHost().equals("[::1]");
        if (!"https".equals(issuer.getScheme()) && !("http".equals(issuer.getScheme()) && loopback)) {
            return "must use https (http only on localhost)";
        }
        return null;
    }
}
