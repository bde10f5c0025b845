package dev.gatehouse.pages;

import dev.gatehouse.account.SignedIn;
import dev.gatehouse.oauth.ConnectedApps;
import dev.gatehouse.scope.ScopeCatalogue;
import dev.gatehouse.web.Html;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * {@code /account/apps} (issue 12 §3): the OAuth apps and agents' clients the person authorised, with what
 * they may do and when they last got a token; each revocable at once.
 */
@Path(AppsPage.PATH)
@Produces(MediaType.TEXT_HTML)
public class AppsPage {
    static final String PATH = "/account/apps";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance page(String email, String csrf, List<ConnectedApps.ConnectedApp> apps,
                Map<String, String> scopeWords, String error);
    }

    private final SignedInForms forms;
    private final ConnectedApps apps;
    private final ScopeCatalogue catalogue;

    AppsPage(SignedInForms forms, ConnectedApps apps, ScopeCatalogue catalogue) {
        this.forms = forms;
        this.apps = apps;
        this.catalogue = catalogue;
    }

    @GET
    public Response show(@Context HttpHeaders headers) {
        return forms.view(headers, PATH, person -> page(200, person, null));
    }

    /** Revokes everything the person gave one app: its tokens stop working at once, and it must ask again. */
    @POST
    @Path("/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revoke(@Context HttpHeaders headers, @Context HttpServerRequest request, @FormParam("csrf") String csrf,
            @FormParam("client_id") String clientId) {
        return forms.submit(headers, request, csrf, PATH, this::page, person -> clientId == null || clientId.isBlank()
                || apps.revoke(person.accountId(), clientId) == 0 ? page(404, person, "That app has no access to revoke.")
                : SignedInForms.redirect(PATH));
    }

    private Response page(int status, SignedIn person, String error) {
        return Html.page(status, Templates.page(person.email(), person.csrfToken(), apps.of(person.accountId()), catalogue.describe(), error));
    }
}
