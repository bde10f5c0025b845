package dev.gatehouse.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gatehouse.agent.AgentConfig.Registration;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** gatehouse.agent.registration and sign-up-uri: what agents are told, and what stops start-up. */
class AgentSignUpTest {
    private static final String OWN = "https://auth.example.com/signup";

    @Test
    void signUpOnlyPointsAtTheConfiguredPageOrOurOwn() {
        assertEquals(Optional.of("https://jobspipe.dev/signup"),
                AgentSignUp.resolve(Registration.SIGN_UP_ONLY, Optional.of(URI.create("https://jobspipe.dev/signup")), OWN));
        assertEquals(Optional.of(OWN), AgentSignUp.resolve(Registration.SIGN_UP_ONLY, Optional.empty(), OWN));
        assertEquals(Optional.empty(), AgentSignUp.resolve(Registration.OPEN, Optional.empty(), OWN));
    }

    @Test
    void aSignUpUriNoAgentWouldSeeOrCouldFollowIsRefused() {
        var unused = assertThrows(IllegalStateException.class,
                () -> AgentSignUp.resolve(Registration.OPEN, Optional.of(URI.create("https://jobspipe.dev/signup")), OWN));
        assertEquals("gatehouse.agent.sign-up-uri https://jobspipe.dev/signup is only given to agents with "
                + "gatehouse.agent.registration=sign-up-only; registration is open here", unused.getMessage());
        var relative = assertThrows(IllegalStateException.class,
                () -> AgentSignUp.resolve(Registration.SIGN_UP_ONLY, Optional.of(URI.create("/signup")), OWN));
        assertEquals("gatehouse.agent.sign-up-uri /signup must be an absolute URL", relative.getMessage());
    }
}
