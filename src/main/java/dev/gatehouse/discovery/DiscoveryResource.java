package dev.gatehouse.discovery;

import dev.gatehouse.oauth.Resources;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The well-known documents: RFC 8414 at the path it inserts, OpenID Connect discovery at the path it
 * appends, RFC 9728 for the protected resource, and the RFC 9727 API catalog. All cacheable for a few minutes (RFC 9728 §7.10).
 */
// The metadata documents are fixed once the server runs: written as JSON once, and answered from the event
// loop (issue 11: serialising them on a worker thread per request made discovery slower than the no-op).
@Path("/.well-known")
@Produces(MediaType.APPLICATION_JSON)
public class DiscoveryResource {
    static final String LINKSET = "application/linkset+json; profile=\"https://www.rfc-editor.org/info/rfc9727\"";

    private final Resources resources;
    private final String issuerPath;
    private final String resourcePath;
    private final String authorizationServerJson;
    private final String protectedResourceJson;

    DiscoveryResource(AuthorizationServerMetadata authorizationServer, ProtectedResourceMetadata protectedResource,
            Resources resources, ObjectMapper json) throws JsonProcessingException {
        this.resources = resources;
        this.authorizationServerJson = json.writeValueAsString(authorizationServer.document());
        this.protectedResourceJson = json.writeValueAsString(protectedResource.document());
        this.issuerPath = pathOf(resources.issuer());
        this.resourcePath = pathOf(resources.defaultResource());
    }

    @GET
    @NonBlocking
    @Path("/oauth-authorization-server")
    public Response authorizationServer() {
        return issuerPath.isEmpty() ? cacheable(authorizationServerJson) : notFound();
    }

    /** RFC 8414 §3.1: an issuer with a path gets the well-known segment inserted before it. */
    @GET
    @NonBlocking
    @Path("/oauth-authorization-server/{path: .+}")
    public Response authorizationServerForPath(@PathParam("path") String path) {
        return ("/" + path).equals(issuerPath) ? cacheable(authorizationServerJson) : notFound();
    }

    @GET
    @NonBlocking
    @Path("/openid-configuration")
    public Response openidConfiguration() {
        return cacheable(authorizationServerJson);
    }

    @GET
    @NonBlocking
    @Path("/oauth-protected-resource")
    public Response protectedResource() {
        return resourcePath.isEmpty() ? cacheable(protectedResourceJson) : notFound();
    }

    @GET
    @NonBlocking
    @Path("/oauth-protected-resource/{path: .+}")
    public Response protectedResourceForPath(@PathParam("path") String path) {
        return ("/" + path).equals(resourcePath) ? cacheable(protectedResourceJson) : notFound();
    }

    /** RFC 9727 §2: the API catalog at the well-known URI, as a Linkset (§4.2). */
    @GET
    @Path("/api-catalog")
    @Produces(LINKSET)
    public Response apiCatalog() {
        Map<String, Object> api = Map.of(
                "anchor", resources.defaultResource(),
                "service-desc", List.of(Map.of("href", resources.endpoint("/openapi.json"), "type", "application/json")),
                "service-doc", List.of(Map.of("href", resources.endpoint("/auth.md"), "type", "text/markdown")),
                "service-meta", List.of(Map.of("href", resources.protectedResourceMetadataUrl(), "type", "application/json")),
                "status", List.of(Map.of("href", resources.endpoint("/q/health/ready"), "type", "application/json")));
        return Response.ok(Map.of("linkset", List.of(api)), LINKSET).header("Cache-Control", "public, max-age=300").build();
    }

    /** RFC 9727 §2: HEAD answers with a Link to the catalog. */
    @HEAD
    @Path("/api-catalog")
    public Response apiCatalogHead() {
        return Response.ok().type(LINKSET)
                .header("Link", "<" + resources.endpoint("/.well-known/api-catalog") + ">; rel=\"api-catalog\"").build();
    }

    private static Response cacheable(String document) {
        return Response.ok(document).header("Cache-Control", "public, max-age=300").build();
    }

    private static Response notFound() {
        throw new NotFoundException();
    }

    private static String pathOf(String url) {
        String path = URI.create(url).getRawPath();
        return path == null || path.equals("/") ? "" : path;
    }
}
