package dev.gatehouse.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gatehouse.account.Accounts;
import dev.gatehouse.guard.ApiGuard;
import dev.gatehouse.guard.Caller;
import dev.gatehouse.scope.ScopeCatalogue;
import dev.gatehouse.token.Environment;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** {@code GET /v1/me}: the reference protected endpoint. Who am I, with which key, allowed to do what. */
// On a virtual thread: a metered request waits for its Redis round trip, and a parked virtual thread costs
// no OS thread switch (docs/benchmarks.md).
@RunOnVirtualThread
@Path("/v1/me")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {
    private final ApiGuard guard;
    private final Accounts accounts;
    private final String scope;

    MeResource(ApiGuard guard, Accounts accounts, ApiConfig config, ScopeCatalogue catalogue) {
        this.guard = guard;
        this.accounts = accounts;
        this.scope = config.meScope();
        if (!catalogue.contains(scope)) {
            throw new IllegalStateException("gatehouse.api.me-scope " + scope + " is not in gatehouse.scopes.catalogue");
        }
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Me(AccountView account, KeyView key) {
    }

    @RegisterForReflection
    public record AccountView(UUID id, String email) {
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record KeyView(UUID id, String kind, String keyPrefix, List<String> scopes, Environment environment, Instant expiresAt) {
    }

    @GET
    public Me me(@Context HttpServerRequest request) {
        Caller caller = guard.require(request, scope);
        var token = caller.credential();
        AccountView account = caller.accountId() == null ? null : accounts.find(caller.accountId())
                .map(found -> new AccountView(found.id(), found.email())).orElse(null);
        return new Me(account, new KeyView(token.id(), token.kind().column(), token.displayPrefix(), token.scopes(),
                token.environment(), token.expiresAt()));
    }
}
