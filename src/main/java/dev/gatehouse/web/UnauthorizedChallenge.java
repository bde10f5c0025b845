package dev.gatehouse.web;

import dev.gatehouse.guard.BearerChallenge;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every 401 from Gatehouse names the protected-resource metadata (RFC 9728 §5, seed 004), even those
 * with another challenge (the token endpoint's Basic one) or none (a failed sign-in form).
 */
public class UnauthorizedChallenge {
    @Inject
    BearerChallenge challenge;

    @ServerResponseFilter
    public void addResourceMetadata(ContainerResponseContext response) {
        if (response.getStatus() != 401) {
            return;
        }
        boolean named = response.getHeaders().getOrDefault("WWW-Authenticate", java.util.List.of()).stream()
                .anyMatch(value -> BearerChallenge.namesMetadata(String.valueOf(value)));
        if (!named) {
            response.getHeaders().add("WWW-Authenticate", challenge.missing());
        }
    }
}
