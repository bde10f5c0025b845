package dev.gatehouse.pages;

import dev.gatehouse.account.SignedIn;
import dev.gatehouse.credits.Credits;
import dev.gatehouse.credits.StandingView;
import dev.gatehouse.outcome.Rejection;
import dev.gatehouse.owner.Owners;
import dev.gatehouse.pat.ApiKeyRequests;
import dev.gatehouse.pat.ApiKeyView;
import dev.gatehouse.pat.ApiKeys;
import dev.gatehouse.scope.ScopeCatalogue;
import dev.gatehouse.usage.UsageHistory;
import dev.gatehouse.web.ApiProblem;
import dev.gatehouse.web.Html;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.RawString;
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
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@code /account/api-tokens} (seed 000): the person's own API keys. Lists them with their use, mints one and
 * shows it once, edits a label or an IP allowlist, rolls with a grace period and revokes after a confirmation.
 * Every form carries the session's CSRF token and must come from this origin. A mint or a roll answers with a
 * redirect (post/redirect/get), the new key riding along in {@link ShownOnce}, so a reload never mints again.
 */
@Path(ApiKeysPage.PATH)
@Produces(MediaType.TEXT_HTML)
public class ApiKeysPage {
    static final String PATH = "/account/api-tokens";
    static final String LOST = "A token was created, but it can no longer be shown: only its hash is kept. If you did not copy it,"
            + " roll it (below) to get a new one.";
    /** The expiry choices the form offers, in days; "custom" takes a date, "never" none. */
    static final List<Integer> EXPIRY_PRESETS = List.of(30, 90, 365);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance page(String email, String csrf, List<KeyRow> keys, List<ScopeGroup> scopeGroups,
                List<Integer> expiryPresets, String error, ShownOnce.NewKey created, StandingView plan);

        static native TemplateInstance confirmRevoke(String email, String csrf, ApiKeyView key);
    }

    /** One row of the list: the key, where it was used from lately, and its last 30 days drawn. */
    public record KeyRow(ApiKeyView key, List<UsageHistory.RecentAddress> addresses, RawString chart) {
    }

    /** The scopes of one resource ({@code jobs} for {@code jobs:read} and {@code jobs:write}), as the form groups them. */
    public record ScopeGroup(String resource, List<ScopeCatalogue.Scope> scopes) {
    }

    private final SignedInForms forms;
    private final ApiKeys keys;
    private final ScopeCatalogue catalogue;
    private final UsageHistory usage;
    private final Credits credits;
    private final Owners owners;
    private final ShownOnce shownOnce;
    private final Clock clock;

    ApiKeysPage(SignedInForms forms, ApiKeys keys, ScopeCatalogue catalogue, UsageHistory usage, Credits credits, Owners owners,
            ShownOnce shownOnce, Clock clock) {
        this.forms = forms;
        this.keys = keys;
        this.catalogue = catalogue;
        this.usage = usage;
        this.credits = credits;
        this.owners = owners;
        this.shownOnce = shownOnce;
        this.clock = clock;
    }

    /** The list; and, right after a mint or a roll, the new key this once (the cookie that carried it is cleared). */
    @GET
    public Response show(@Context HttpHeaders headers, @Context HttpServerRequest request) {
        return forms.view(headers, PATH, person -> {
            if (!headers.getCookies().containsKey(ShownOnce.COOKIE)) {
                return page(200, person, null, null);
            }
            Optional<ShownOnce.NewKey> created = shownOnce.open(person, headers);
            // A key was minted but its one showing is lost (too late, another tab, another session): say so.
            Response page = page(200, person, created.isPresent() ? null : LOST, created.orElse(null));
            return Response.fromResponse(page).cookie(shownOnce.cleared(request)).build();
        });
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@Context HttpHeaders headers, @Context HttpServerRequest request,
            @FormParam("csrf") String csrf, @FormParam("label") String label, @FormParam("scope") List<String> scopes,
            @FormParam("expires_in") String expiresIn, @FormParam("expires_on") String expiresOn,
            @FormParam("environment") String environment, @FormParam("ip_allowlist") String ipAllowlist) {
        return submit(headers, request, csrf, person -> {
            ApiKeyView created = keys.mint(person.accountId(), new ApiKeyRequests.Create(label, scopes, expiry(expiresIn, expiresOn),
                    blankToNull(environment), ranges(ipAllowlist)));
            return showOnce(person, created, request);
        });
    }

    /** A confirmation before a revoke, which cannot be undone; the list links here, and only its form revokes. */
    @GET
    @Path("/{id}/revoke")
    public Response confirmRevoke(@Context HttpHeaders headers, @PathParam("id") UUID id) {
        return forms.view(headers, PATH, person -> {
            try {
                return Html.page(Templates.confirmRevoke(person.email(), person.csrfToken(), keys.get(person.accountId(), id)));
            } catch (ApiProblem | Rejection refusal) {
                ApiProblem problem = ApiProblem.from(refusal);
                return page(problem.status(), person, problem.getMessage(), null);
            }
        });
    }

    @POST
    @Path("/{id}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revoke(@Context HttpHeaders headers, @Context HttpServerRequest request,
            @PathParam("id") UUID id, @FormParam("csrf") String csrf) {
        return submit(headers, request, csrf, person -> {
            keys.revoke(person.accountId(), id);
            return backToList();
        });
    }

    @POST
    @Path("/{id}/label")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response editLabel(@Context HttpHeaders headers, @Context HttpServerRequest request,
            @PathParam("id") UUID id, @FormParam("csrf") String csrf, @FormParam("label") String label) {
        return submit(headers, request, csrf, person -> {
            if (label == null || label.isBlank()) {
                throw Rejection.invalid("A key needs a label: say what it is for");
            }
            keys.update(person.accountId(), id, new ApiKeyRequests.Update(label, null, null, null, null));
            return backToList();
        });
    }

    @POST
    @Path("/{id}/ip-allowlist")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response editIpAllowlist(@Context HttpHeaders headers, @Context HttpServerRequest request,
            @PathParam("id") UUID id, @FormParam("csrf") String csrf, @FormParam("ip_allowlist") String ipAllowlist) {
        return submit(headers, request, csrf, person -> {
            if (ipAllowlist == null) {
                // A form without the field is not "allow from anywhere": that takes the field, empty.
                throw Rejection.invalid("ip_allowlist is required: CIDR ranges, or empty for anywhere");
            }
            keys.update(person.accountId(), id, new ApiKeyRequests.Update(null, null, null, null, ranges(ipAllowlist)));
            return backToList();
        });
    }

    /** Seeds 000 and 002: the successor is shown once; the old key works until the grace period ends. */
    @POST
    @Path("/{id}/roll")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response roll(@Context HttpHeaders headers, @Context HttpServerRequest request,
            @PathParam("id") UUID id, @FormParam("csrf") String csrf, @FormParam("grace_hours") String graceHours) {
        return submit(headers, request, csrf, person -> {
            ApiKeyView successor = keys.roll(person.accountId(), id, new ApiKeyRequests.Roll(graceSeconds(graceHours)));
            return showOnce(person, successor, request);
        });
    }

    private Response submit(HttpHeaders headers, HttpServerRequest request, String csrf, Function<SignedIn, Response> action) {
        return forms.submit(headers, request, csrf, PATH, (status, person, error) -> page(status, person, error, null), action);
    }

    private Response showOnce(SignedIn person, ApiKeyView created, HttpServerRequest request) {
        return Response.fromResponse(backToList()).cookie(shownOnce.carry(person, created, request)).build();
    }

    /** The person's plan line; none if it cannot be read now (the page, and a new key's one showing, come first). */
    private StandingView plan(SignedIn person) {
        try {
            return StandingView.of(credits.standing(owners.ofAccount(person.accountId())), false);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Response page(int status, SignedIn person, String error, ShownOnce.NewKey created) {
        List<ApiKeyView> listed = keys.list(person.accountId());
        List<UUID> ids = listed.stream().map(ApiKeyView::id).toList();
        Map<UUID, List<UsageHistory.RecentAddress>> addresses = usage.recentAddresses(ids);
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        Map<UUID, long[]> daily = usage.dailyUses(ids, today, UsageChart.DAYS);
        List<KeyRow> rows = listed.stream()
                .map(key -> new KeyRow(key, addresses.get(key.id()), UsageChart.of(daily.get(key.id()), today))).toList();
        return Html.page(status, Templates.page(person.email(), person.csrfToken(), rows, scopeGroups(), EXPIRY_PRESETS, error,
                created, plan(person)));
    }

    /** The catalogue grouped by resource, the part before the colon, in catalogue order. */
    private List<ScopeGroup> scopeGroups() {
        Map<String, List<ScopeCatalogue.Scope>> groups = new LinkedHashMap<>();
        for (ScopeCatalogue.Scope scope : catalogue.all()) {
            int colon = scope.name().indexOf(':');
            groups.computeIfAbsent(colon > 0 ? scope.name().substring(0, colon) : scope.name(), resource -> new java.util.ArrayList<>())
                    .add(scope);
        }
        return groups.entrySet().stream().map(group -> new ScopeGroup(group.getKey(), List.copyOf(group.getValue()))).toList();
    }

    /**
     * The form's expiry: a preset number of days from now, "custom" with a date (valid through that day, UTC),
     * or "never". Without a choice, the date if one is given.
     */
    private Instant expiry(String expiresIn, String expiresOn) {
        String choice = expiresIn == null || expiresIn.isBlank() ? (expiresOn == null || expiresOn.isBlank() ? "never" : "custom")
                : expiresIn.strip();
        if (!choice.equals("custom") && expiresOn != null && !expiresOn.isBlank()) {
            throw Rejection.invalid("A date was given but another expiry chosen: choose \"on a date\" to use the date");
        }
        return switch (choice) {
            case "never" -> null;
            case "custom" -> {
                if (expiresOn == null || expiresOn.isBlank()) {
                    throw Rejection.invalid("Pick the date the key stops working, or another expiry");
                }
                yield endOfDay(expiresOn);
            }
            default -> {
                Integer days = EXPIRY_PRESETS.stream().filter(preset -> String.valueOf(preset).equals(choice)).findFirst()
                        .orElseThrow(() -> Rejection.invalid("The expiry is one of " + EXPIRY_PRESETS + " days, a date, or never"));
                yield clock.instant().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofDays(days));
            }
        };
    }

    /** A date picked on the form means "valid through that day" (UTC). */
    private static Instant endOfDay(String date) {
        try {
            return LocalDate.parse(date.strip()).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw ApiProblem.badRequest("The expiry date must look like 2027-01-31");
        }
    }

    /** The form's allowlist: CIDR ranges separated by commas, spaces or new lines; empty: anywhere. */
    private static List<String> ranges(String text) {
        return text == null ? List.of() : Arrays.stream(text.split("[,\\s]+")).filter(range -> !range.isBlank()).toList();
    }

    private static Long graceSeconds(String hours) {
        if (hours == null || hours.isBlank()) {
            return null;
        }
        try {
            return Math.multiplyExact(Long.parseLong(hours.strip()), 3600L);
        } catch (NumberFormatException | ArithmeticException e) {
            throw Rejection.invalid("The grace period is a whole number of hours");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static Response backToList() {
        return SignedInForms.redirect(PATH);
    }
}
