package dev.gatehouse.discovery;

import dev.gatehouse.agent.AgentConfig;
import dev.gatehouse.agent.AgentRegistrations;
import dev.gatehouse.oauth.Resources;
import dev.gatehouse.scope.ScopeCatalogue;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** {@code /auth.md}: the agents' walkthrough (auth.md anatomy, specs.md §1.5), written from the live configuration. */
@Path("/")
public class DocumentsResource {
    private final Resources resources;
    private final ScopeCatalogue catalogue;
    private final AgentRegistrations registrations;
    private final AgentConfig agents;
    private final dev.gatehouse.agent.IdJagVerifier assertions;
    private final dev.gatehouse.agent.AgentSignUp signUp;

    DocumentsResource(Resources resources, ScopeCatalogue catalogue, AgentRegistrations registrations, AgentConfig agents,
            dev.gatehouse.agent.IdJagVerifier assertions, dev.gatehouse.agent.AgentSignUp signUp) {
        this.assertions = assertions;
        this.signUp = signUp;
        this.resources = resources;
        this.catalogue = catalogue;
        this.registrations = registrations;
        this.agents = agents;
    }

    @CheckedTemplate(basePath = "documents")
    static class Templates {
        static native TemplateInstance authMd(String issuer, String resource, String metadataUrl, boolean anonymous,
                boolean verifiedEmail, boolean idJag, List<ScopeCatalogue.Scope> scopes, List<String> preClaimScopes,
                List<String> postClaimScopes, String signUpUri);
    }

    @GET
    @Path("auth.md")
    public Response authMd() {
        String body = Templates.authMd(resources.issuer(), resources.defaultResource(), resources.protectedResourceMetadataUrl(),
                agents.anonymous().enabled(), registrations.emailRegistration(), assertions.enabled(), catalogue.all(),
                registrations.preClaimScopes(), registrations.postClaimScopes(), signUp.uri().orElse(null)).render();
        return Response.ok(body, "text/markdown; charset=utf-8").header("Cache-Control", "public, max-age=300").build();
    }
}
