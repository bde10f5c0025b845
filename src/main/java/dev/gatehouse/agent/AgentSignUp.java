package dev.gatehouse.agent;

import dev.gatehouse.oauth.Resources;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code gatehouse.agent.registration=sign-up-only} (seed 004): agents are pointed to a person's sign-up
 * instead of being given a key. Checked at start-up, so a sign-up URI that no agent would ever see is refused.
 */
@Startup
@ApplicationScoped
public class AgentSignUp {
    private final Optional<String> uri;

    AgentSignUp(AgentConfig config, Resources resources) {
        this.uri = resolve(config.registration(), config.signUpUri(), resources.endpoint("/signup"));
    }

    /** The sign-up URI agents are given, or empty with open registration; refuses what no agent would see. */
    static Optional<String> resolve(AgentConfig.Registration registration, Optional<URI> configured, String ownSignUp) {
        if (registration == AgentConfig.Registration.OPEN) {
            configured.ifPresent(uri -> {
                throw new IllegalStateException("gatehouse.agent.sign-up-uri " + uri + " is only given to agents with "
                        + "gatehouse.agent.registration=sign-up-only; registration is open here");
            });
            return Optional.empty();
        }
        configured.filter(uri -> !uri.isAbsolute() || uri.getHost() == null).ifPresent(uri -> {
            throw new IllegalStateException("gatehouse.agent.sign-up-uri " + uri + " must be an absolute URL");
        });
        return Optional.of(configured.map(URI::toString).orElse(ownSignUp));
    }

    /** Where agents are sent to have a person sign up; empty while agents may register themselves. */
    public Optional<String> uri() {
        return uri;
    }

    /** Refuses the registration with the pointer, in sign-up-only mode; does nothing while registration is open. */
    void refuseRegistration() {
        if (uri.isPresent()) {
            throw new Required(uri.get());
        }
    }

    /**
     * The answer to every registration in sign-up-only mode. 403, not 400: the request is understood and
     * well-formed, but this service will not mint a key for an agent, whatever it sends (an agent does not
     * retry a 4xx with the same body, specs.md §1.3). The code says what to do next; the body carries where.
     */
    static final class Required extends AgentError {
        static final String CODE = "sign_up_required";
        private final String signUpUri;

        Required(String signUpUri) {
            super(403, CODE, "This service issues API keys per account rather than minting credentials for agents: "
                    + "have your person sign up at " + signUpUri + " and create a key, then send it as a Bearer token");
            this.signUpUri = signUpUri;
        }

        @Override
        Object body() {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("error", CODE);
            body.put("message", getMessage());
            body.put("sign_up_uri", signUpUri);
            return body;
        }
    }
}
