package dev.gatehouse.web;

import dev.gatehouse.scope.ScopeCatalogue;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import java.util.List;

/** The server-rendered pages, type-checked at build time (templates/*.html). */
@CheckedTemplate
public class Pages {
    public static native TemplateInstance login(String error, String email, String returnTo);

    public static native TemplateInstance signup(String error, String email);

    public static native TemplateInstance signupSent(String email);

    /**
     * The emailed sign-up link's page: the password chosen at sign-up, typed again, and a button (a POST, so
     * a link preview never uses it); or why the link cannot be used ({@code closed}).
     */
    public static native TemplateInstance signupConfirm(String token, String error, String closed);

    public static native TemplateInstance consent(String clientName, String clientId, String redirectHost,
            List<ScopeCatalogue.Scope> scopes, List<java.util.Map.Entry<String, String>> hidden, String email, String csrf);

    public static native TemplateInstance oauthError(String message);

    /** The site's own page for an unexpected error: no internals, the id that ties it to the log. */
    public static native TemplateInstance error(String errorId);

    /** A dependency (PostgreSQL) cannot be reached: nothing was changed, try again shortly. */
    public static native TemplateInstance unavailable();

    public static native TemplateInstance claim(String token, String email, boolean accountExists, String code, String error);

    public static native TemplateInstance claimClosed(String message);
}
