package dev.gatehouse.discovery;

import dev.gatehouse.oauth.Resources;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Map;

/**
 * The well-known documents: RFC 8414 at the path it inserts, OpenID Connect discovery at the path it
 * appends, and RFC 9728 for the protected resource. All cacheable for a few minutes (RFC 9728 §7.10).
 */
@Path("/.well-known")
@Produces(MediaType.APPLICATION_JSON)
public class DiscoveryResource {
    private final AuthorizationServerMetadata authorizationServer;
    private final ProtectedResourceMetadata protectedResource;
    private final String issuerPath;
    private final String resourcePath;

    DiscoveryResource(AuthorizationServerMetadata authorizationServer, ProtectedResourceMetadata protectedResource,
            Resources resources) {
        this.authorizationServer = authorizationServer;
        this.protectedResource = protectedResource;
        this.issuerPath = pathOf(resources.issuer());
        this.resourcePath = pathOf(resources.defaultResource());
    }

    @GET
    @Path("/oauth-authorization-server")
    public Response authorizationServer() {
        return issuerPath.isEmpty() ? cacheable(authorizationServer.document()) : notFound();
    }

    /** RFC 8414 §3.1: an issuer with a path gets the well-known segment inserted before it. */
    @GET
    @Path("/oauth-authorization-server/{path: .+}")
    public Response authorizationServerForPath(@PathParam("path") String path) {
        return ("/" + path).equals(issuerPath) ? cacheable(authorizationServer.document()) : notFound();
    }

    @GET
    @Path("/openid-configuration")
    public Response openidConfiguration() {
        return cacheable(authorizationServer.document());
    }

    @GET
    @Path("/oauth-protected-resource")
    public Response protectedResource() {
        return resourcePath.isEmpty() ? cacheable(protectedResource.document()) : notFound();
    }

    @GET
    @Path("/oauth-protected-resource/{path: .+}")
    public Response protectedResourceForPath(@PathParam("path") String path) {
        return ("/" + path).equals(resourcePath) ? cacheable(protectedResource.document()) : notFound();
    }

    private static Response cacheable(Map<String, Object> document) {
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
