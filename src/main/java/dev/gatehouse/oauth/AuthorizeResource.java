package dev.gatehouse.oauth;

import dev.gatehouse.account.Sessions;
import dev.gatehouse.account.SignedIn;
import dev.gatehouse.client.Client;
import dev.gatehouse.scope.ScopeCatalogue;
import dev.gatehouse.web.Html;
import dev.gatehouse.web.Pages;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /oauth2/authorize}: code flow only, PKCE (S256) for every client. The person signs in on the
 * login page, then approves on the consent page (first-party clients may skip it). Every answer carries
 * {@code iss} (RFC 9207); errors about the client or redirect URI stay on Gatehouse's own error page.
 * No CORS here, ever (RFC 9700 §2.6).
 */
@Path("/oauth2/authorize")
public class AuthorizeResource {
    /** Parameters the consent form carries back, so the POST is checked exactly like the GET. */
    private static final List<String> REQUEST_PARAMETERS = List.of("response_type", "client_id", "redirect_uri",
            "scope", "state", "code_challenge", "code_challenge_method", "nonce", "resource");

    private final AuthorizationRequests requests;
    private final AuthorizationCodes codes;
    private final Sessions sessions;
    private final Resources resources;
    private final ScopeCatalogue catalogue;
    private final Authorizations authorizations;
    private final java.time.Clock clock;
    /** With {@code prompt=login}, a session younger than this counts as the sign-in just asked for. */
    private static final java.time.Duration FRESH_SIGN_IN = java.time.Duration.ofMinutes(1);

    AuthorizeResource(AuthorizationRequests requests, AuthorizationCodes codes, Sessions sessions, Resources resources,
            ScopeCatalogue catalogue, Authorizations authorizations, java.time.Clock clock) {
        this.authorizations = authorizations;
        this.clock = clock;
        this.requests = requests;
        this.codes = codes;
        this.sessions = sessions;
        this.resources = resources;
        this.catalogue = catalogue;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response authorize(@Context UriInfo uri, @Context HttpHeaders headers) {
        MultivaluedMap<String, String> params = uri.getQueryParameters();
        SignedIn person = sessions.current(headers).orElse(null);
        try {
            AuthorizationRequest request = requests.parse(params);
            if (person == null || (request.prompt().contains("login") && !signedInJustNow(person))) {
                if (request.silent()) {
                    throw AuthorizationError.redirect("login_required", "The person is not signed in", request.redirectUri(),
                            request.state()).of(request.client());
                }
                // Encoded whole (UriBuilder would keep its %-escapes), so one decode gives back this exact URL.
                String here = uri.getRequestUri().getRawPath() + "?" + uri.getRequestUri().getRawQuery();
                return Response.seeOther(URI.create("/login?return_to=" + URLEncoder.encode(here, StandardCharsets.UTF_8))).build();
            }
            // Consent is skipped only where an operator chose it (the dashboard's configuration, the admin API),
            // unless the client asks for it (prompt=consent).
            if (request.client().skipConsent() && !request.prompt().contains("consent")) {
                return toClient(request, Map.of("code", codes.issue(request, person)));
            }
            if (request.silent()) {
                throw AuthorizationError.redirect("consent_required", "The person must approve this application first",
                        request.redirectUri(), request.state()).of(request.client());
            }
            return Html.pageLeadingTo(200, Pages.consent(request.client().clientName(), request.client().clientId(),
                    hostOf(request.redirectUri()), describe(request.scopes()), hidden(params), person.email(), person.csrfToken()),
                    originOf(request.redirectUri()));
        } catch (AuthorizationError error) {
            return answer(error, person);
        }
    }

    private boolean signedInJustNow(SignedIn person) {
        return person.session().createdAt().isAfter(clock.instant().minus(FRESH_SIGN_IN));
    }

    /** The consent form: approve or deny. Credential-bearing POSTs answer 303 (RFC 9700 §4.12). */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response decide(MultivaluedMap<String, String> form, @Context HttpHeaders headers, @Context HttpServerRequest http) {
        MultivaluedMap<String, String> params = new MultivaluedHashMap<>();
        REQUEST_PARAMETERS.forEach(name -> {
            if (form.containsKey(name)) {
                params.put(name, form.get(name));
            }
        });
        // The form is checked before anything in it is: a POST from anywhere else never reaches a redirect.
        SignedIn person = sessions.current(headers).orElse(null);
        if (person == null || !person.sentForm(form.getFirst("csrf"), http)) {
            return Html.page(403, Pages.oauthError("This consent form expired or was sent from another site. Start again from the application."));
        }
        try {
            AuthorizationRequest request = requests.parse(params);
            if (!"allow".equals(form.getFirst("decision"))) {
                throw AuthorizationError.redirect("access_denied", "The person declined", request.redirectUri(), request.state());
            }
            return toClient(request, Map.of("code", codes.issue(request, person)));
        } catch (AuthorizationError error) {
            // This person's own consent form, which named the host they will be sent back to.
            return answer(error, person, true);
        }
    }

    private Response answer(AuthorizationError error, SignedIn person) {
        return answer(error, person, false);
    }

    /**
     * An error goes back to the client's redirect URI only if someone vetted where that leads: an operator
     * made the client, or the person approved it before, or just saw its consent page. A client that
     * registered itself could otherwise name any site and use this endpoint as an open redirector, for
     * anyone, without sign-in (RFC 9700 §4.11.2): its errors stay on this server's page.
     */
    private Response answer(AuthorizationError error, SignedIn person, boolean personSawTheHost) {
        if (!error.redirects()) {
            return Html.page(400, Pages.oauthError(error.getMessage()));
        }
        Client client = error.client();
        boolean vetted = personSawTheHost || client == null || !client.registeredItself()
                || person != null && authorizations.approvedBefore(client.clientId(), person.accountId());
        if (!vetted) {
            return Html.page(400, Pages.oauthError(error.getMessage() + ". (" + error.code() + ": " + hostOf(error.redirectUri())
                    + " registered itself and you have not approved it, so you were not sent back to it.)"));
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put("error", error.code());
        values.put("error_description", error.getMessage());
        return redirect(error.redirectUri(), values, error.state());
    }

    private Response toClient(AuthorizationRequest request, Map<String, String> values) {
        return redirect(request.redirectUri(), values, request.state());
    }

    /**
     * Appends the answer to the redirect URI, each value percent-encoded here: UriBuilder would read
     * braces in {@code state} as template variables and keep %-escapes as they are, changing the value
     * the client must get back exactly (RFC 6749 §4.1.2).
     */
    private Response redirect(String redirectUri, Map<String, String> values, String state) {
        Map<String, String> all = new LinkedHashMap<>(values);
        if (state != null) {
            all.put("state", state);
        }
        all.put("iss", resources.issuer());
        StringBuilder target = new StringBuilder(redirectUri).append(redirectUri.contains("?") ? '&' : '?');
        all.forEach((name, value) -> target.append(encode(name)).append('=').append(encode(value)).append('&'));
        target.setLength(target.length() - 1);
        return Response.seeOther(URI.create(target.toString()))
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-store")
                .header("X-Frame-Options", "DENY")
                .header("Content-Security-Policy", "frame-ancestors 'none'")
                .build();
    }

    private List<ScopeCatalogue.Scope> describe(List<String> scopes) {
        return scopes.stream().map(scope -> new ScopeCatalogue.Scope(scope, switch (scope) {
            case "openid" -> "Sign you in";
            case "profile" -> "Your basic profile";
            case "email" -> "Your email address";
            default -> catalogue.describe().getOrDefault(scope, scope);
        })).toList();
    }

    private static String originOf(String redirectUri) {
        URI uri = URI.create(redirectUri);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** CIMD requires the redirect host to be shown clearly. */
    private static String hostOf(String redirectUri) {
        String host = URI.create(redirectUri).getHost();
        return host == null ? redirectUri : host;
    }

    private static List<Map.Entry<String, String>> hidden(MultivaluedMap<String, String> params) {
        return REQUEST_PARAMETERS.stream().filter(params::containsKey)
                .flatMap(name -> params.get(name).stream().map(value -> Map.entry(name, value)))
                .toList();
    }
}
