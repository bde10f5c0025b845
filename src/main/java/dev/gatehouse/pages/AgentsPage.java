package dev.gatehouse.pages;

import dev.gatehouse.agent.AgentRegistrations;
import dev.gatehouse.pat.ApiKeyView;
import dev.gatehouse.pat.ApiKeys;
import dev.gatehouse.web.Html;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * {@code /account/agents} (issue 12 §3): AI agents' registrations waiting for the person's claim (mailed to
 * their address), and the agents they claimed, whose keys are revoked through the key page's confirmation.
 */
@Path(AgentsPage.PATH)
@Produces(MediaType.TEXT_HTML)
public class AgentsPage {
    static final String PATH = "/account/agents";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance page(String email, List<AgentRegistrations.Waiting> waiting, List<ApiKeyView> claimed);
    }

    private final SignedInForms forms;
    private final AgentRegistrations registrations;
    private final ApiKeys keys;

    AgentsPage(SignedInForms forms, AgentRegistrations registrations, ApiKeys keys) {
        this.forms = forms;
        this.registrations = registrations;
        this.keys = keys;
    }

    @GET
    public Response show(@Context HttpHeaders headers) {
        return forms.view(headers, PATH, person -> {
            List<ApiKeyView> claimed = keys.list(person.accountId()).stream().filter(key -> "agent".equals(key.kind())).toList();
            return Html.page(Templates.page(person.email(), registrations.waitingFor(person.email()), claimed));
        });
    }
}
