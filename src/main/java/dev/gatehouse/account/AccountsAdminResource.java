package dev.gatehouse.account;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.outcome.Rejection;
import dev.gatehouse.web.Paging;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The operator's accounts (docs/admin.md): list and search by email, disable (every token stops at once)
 * and enable, and lift the sign-in throttle on one account. Only for {@code /admin/*}'s callers
 * ({@link dev.gatehouse.admin.OperatorGuard}).
 */
@SecurityRequirement(name = "operator")
@Tag(name = "admin")
@Path("/admin/accounts")
@Produces(MediaType.APPLICATION_JSON)
public class AccountsAdminResource {
    @RegisterForReflection
    public record AdminAccountView(UUID id, String email, Instant createdAt, Instant disabledAt) {
        static AdminAccountView of(Account account) {
            return new AdminAccountView(account.id(), account.email(), account.createdAt(), account.disabledAt());
        }
    }

    private final Accounts accounts;
    private final LoginThrottle throttle;
    private final Clock clock;

    private final AuditLog audit;

    AccountsAdminResource(Accounts accounts, LoginThrottle throttle, Clock clock, AuditLog audit) {
        this.audit = audit;
        this.accounts = accounts;
        this.throttle = throttle;
        this.clock = clock;
    }

    /** {@code GET /admin/accounts?email=&page_size=&page_token=}: accounts whose email contains {@code email}, in email order. */
    @GET
    public Map<String, Object> list(@QueryParam("email") String email, @QueryParam("page_size") String pageSize,
            @QueryParam("page_token") String pageToken) {
        int size = Paging.size(pageSize);
        return Paging.page("accounts", accounts.search(email, Paging.after(pageToken), size + 1), size, Account::email,
                AdminAccountView::of);
    }

    @GET
    @Path("/{id}")
    public AdminAccountView get(@PathParam("id") UUID id) {
        return AdminAccountView.of(accounts.find(id).orElseThrow(AccountsAdminResource::noSuchAccount));
    }

    /** Disables the account: it signs in no more and every token it holds is revoked, on every node at once. */
    @POST
    @Path("/{id}/disable")
    public AdminAccountView disable(@PathParam("id") UUID id) {
        Account disabled = accounts.disable(id, clock.instant()).orElseThrow(AccountsAdminResource::noSuchAccount);
        audit.record(AuditEvent.Type.ACCOUNT_DISABLED, audit.operator(), id, id.toString(), java.util.Map.of());
        return AdminAccountView.of(disabled);
    }

    /** Lets the account sign in again; the tokens revoked when it was disabled stay revoked. */
    @POST
    @Path("/{id}/enable")
    public AdminAccountView enable(@PathParam("id") UUID id) {
        Account enabled = accounts.enable(id).orElseThrow(AccountsAdminResource::noSuchAccount);
        audit.record(AuditEvent.Type.ACCOUNT_ENABLED, audit.operator(), id, id.toString(), java.util.Map.of());
        return AdminAccountView.of(enabled);
    }

    /** Lifts the sign-in throttle on the account's email, from every address. */
    @POST
    @Path("/{id}/unlock")
    public Response unlock(@PathParam("id") UUID id) {
        throttle.unlock(accounts.find(id).orElseThrow(AccountsAdminResource::noSuchAccount).email());
        audit.record(AuditEvent.Type.ACCOUNT_UNLOCKED, audit.operator(), id, id.toString(), java.util.Map.of());
        return Response.noContent().build();
    }

    private static Rejection noSuchAccount() {
        return Rejection.notFound("No such account");
    }
}
