package dev.gatehouse.pages;

import dev.gatehouse.account.Passwords;
import dev.gatehouse.account.Sessions;
import dev.gatehouse.account.SignedIn;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.upstream.UpstreamIdentities;
import dev.gatehouse.upstream.UpstreamLogin;
import dev.gatehouse.upstream.UpstreamProviders;
import dev.gatehouse.web.Html;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@code /account/security} (issue 12 §3): the person's password, their passkeys and linked providers, where they
 * are signed in (each session can be ended), and their recent security events from the audit log. Every form carries the session's CSRF token.
 */
@Path(SecurityPage.PATH)
@Produces(MediaType.TEXT_HTML)
public class SecurityPage {
    static final String PATH = "/account/security";
    /** How many of the newest events the page shows; the audit API (/settings/audit) pages through the rest. */
    static final int EVENTS = 20;

    /** An audit event in words. */
    public record Event(AuditEvent event, String what) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance page(String email, String csrf, UUID currentSession, List<Sessions.Listed> sessions,
                List<Event> events, List<UpstreamIdentities.Linked> linked, List<UpstreamProviders.Listed> providers,
                List<dev.gatehouse.passkey.PasskeyStore.Passkey> passkeys, String notice, String error);
    }

    /** The events a person recognises, in their words; others show their type name. */
    private static final Map<String, String> WORDS = Map.ofEntries(
            Map.entry(AuditEvent.Type.SIGN_IN_SUCCEEDED.column(), "Signed in"),
            Map.entry(AuditEvent.Type.SIGN_IN_FAILED.column(), "A sign-in failed"),
            Map.entry(AuditEvent.Type.SIGNED_OUT.column(), "Signed out"),
            Map.entry(AuditEvent.Type.PASSWORD_RESET_REQUESTED.column(), "A password reset link was sent"),
            Map.entry(AuditEvent.Type.PASSWORD_RESET.column(), "The password was reset"),
            Map.entry(AuditEvent.Type.PASSWORD_CHANGED.column(), "The password was changed"),
            Map.entry(AuditEvent.Type.SESSION_ENDED.column(), "A session was ended"),
            Map.entry(AuditEvent.Type.API_KEY_MINTED.column(), "An API token was created"),
            Map.entry(AuditEvent.Type.API_KEY_ROLLED.column(), "An API token was rolled"),
            Map.entry(AuditEvent.Type.API_KEY_REVOKED.column(), "An API token was revoked"),
            Map.entry(AuditEvent.Type.API_KEY_LEAKED.column(), "An API token was reported leaked"),
            Map.entry(AuditEvent.Type.GRANT_ISSUED.column(), "An app was authorised"),
            Map.entry(AuditEvent.Type.GRANT_REVOKED.column(), "An app's access was revoked"),
            Map.entry(AuditEvent.Type.AGENT_CLAIMED.column(), "An AI agent was claimed"),
            Map.entry(AuditEvent.Type.UPSTREAM_LINKED.column(), "A sign-in provider was linked"),
            Map.entry(AuditEvent.Type.UPSTREAM_UNLINKED.column(), "A sign-in provider was unlinked"),
            Map.entry(AuditEvent.Type.UPSTREAM_LINK_REFUSED.column(), "A provider's sign-in was refused: email not verified"),
            Map.entry(AuditEvent.Type.UPSTREAM_LINK_MAILED.column(), "A link to confirm a sign-in provider was mailed"),
            Map.entry(AuditEvent.Type.PASSKEY_ADDED.column(), "A passkey was added"),
            Map.entry(AuditEvent.Type.PASSKEY_REMOVED.column(), "A passkey was removed"),
            Map.entry(AuditEvent.Type.AGENT_REVOKED.column(), "An AI agent was revoked"));

    private final Sessions sessions;
    private final SignedInForms forms;
    private final Passwords passwords;
    private final AuditLog audit;
    private final UpstreamIdentities identities;
    private final UpstreamProviders providers;
    private final UpstreamLogin upstream;
    private final dev.gatehouse.passkey.PasskeyStore passkeyStore;
    private final dev.gatehouse.passkey.Passkeys passkeys;

    SecurityPage(Sessions sessions, SignedInForms forms, Passwords passwords, AuditLog audit, UpstreamIdentities identities,
            UpstreamProviders providers, UpstreamLogin upstream, dev.gatehouse.passkey.PasskeyStore passkeyStore,
            dev.gatehouse.passkey.Passkeys passkeys) {
        this.passkeyStore = passkeyStore;
        this.passkeys = passkeys;
        this.identities = identities;
        this.providers = providers;
        this.upstream = upstream;
        this.sessions = sessions;
        this.forms = forms;
        this.passwords = passwords;
        this.audit = audit;
    }

    @GET
    public Response show(@Context HttpHeaders headers) {
        return forms.view(headers, PATH, person -> page(200, person, null, null));
    }

    /** The current password, then the new one; every other session ends. */
    @POST
    @Path("/password")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response changePassword(@Context HttpHeaders headers, @Context HttpServerRequest request, @FormParam("csrf") String csrf,
            @FormParam("current_password") String current, @FormParam("new_password") String next) {
        return submit(headers, request, csrf, person -> {
            passwords.change(person, current, next);
            return page(200, person, "Your password was changed. Every other session was signed out.", null);
        });
    }

    @POST
    @Path("/sessions/{id}/end")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response endSession(@Context HttpHeaders headers, @Context HttpServerRequest request, @FormParam("csrf") String csrf,
            @PathParam("id") UUID id) {
        return submit(headers, request, csrf, person -> {
            if (sessions.endOne(person.accountId(), id)) {
                audit.record(AuditEvent.Type.SESSION_ENDED, audit.actingFor(person.accountId()), person.accountId(), id.toString(), Map.of());
            }
            return id.equals(person.session().id()) ? SignedInForms.toLogin(PATH) : SignedInForms.redirect(PATH);
        });
    }

    /** Unlinks a provider: it signs this account in no more (the password, or a reset, still does). */
    @POST
    @Path("/upstream/{id}/unlink")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response unlink(@Context HttpHeaders headers, @Context HttpServerRequest request, @FormParam("csrf") String csrf,
            @PathParam("id") UUID id) {
        return submit(headers, request, csrf, person -> upstream.unlink(person.accountId(), id) ? SignedInForms.redirect(PATH)
                : page(404, person, null, "No such linked sign-in."));
    }

    /** Removes a passkey: it signs this account in no more. */
    @POST
    @Path("/passkeys/{id}/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response removePasskey(@Context HttpHeaders headers, @Context HttpServerRequest request, @FormParam("csrf") String csrf,
            @PathParam("id") String id) {
        return submit(headers, request, csrf, person -> passkeys.remove(person.accountId(), id) ? SignedInForms.redirect(PATH)
                : page(404, person, null, "No such passkey."));
    }

    private Response submit(HttpHeaders headers, HttpServerRequest request, String csrf, Function<SignedIn, Response> action) {
        return forms.submit(headers, request, csrf, PATH, (status, person, error) -> page(status, person, null, error), action);
    }

    private Response page(int status, SignedIn person, String notice, String error) {
        List<Event> events = audit.read(new AuditLog.Query(person.accountId(), null, null, null, null, EVENTS)).stream()
                .map(event -> new Event(event, WORDS.getOrDefault(event.type(), event.type()))).toList();
        return Html.page(status, Templates.page(person.email(), person.csrfToken(), person.session().id(),
                sessions.live(person.accountId()), events, identities.of(person.accountId()), providers.listed(),
                passkeyStore.of(person.accountId()), notice, error));
    }
}
