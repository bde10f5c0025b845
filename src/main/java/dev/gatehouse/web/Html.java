package dev.gatehouse.web;

import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Every page leaves through here. Pages may not be framed, leak their URL, run foreign script or be
 * cached: one of them shows a new key once. The one script and style sheet come from our own origin,
 * so the policy needs no 'unsafe-inline'.
 */
public final class Html {
    private static final String BASE_POLICY = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; "
            + "img-src 'self'; frame-ancestors 'none'; base-uri 'none'";
    static final String CONTENT_SECURITY_POLICY = BASE_POLICY + "; form-action 'self'";

    private Html() {
    }

    public static Response page(TemplateInstance template) {
        return page(200, template);
    }

    public static Response page(int status, TemplateInstance template) {
        return page(status, template, CONTENT_SECURITY_POLICY);
    }

    /**
     * A page whose form leads, through redirects, to another origin (sign-in and consent end at a
     * client's redirect URI). Browsers apply {@code form-action} to every redirect after a form post, so
     * such a page lists the origins it may end at; {@code null} leaves the directive out.
     */
    public static Response pageLeadingTo(int status, TemplateInstance template, String origin) {
        return page(status, template, origin == null ? BASE_POLICY : BASE_POLICY + "; form-action 'self' " + origin);
    }

    private static Response page(int status, TemplateInstance template, String policy) {
        return Response.status(status)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(template.render())
                .header("Content-Security-Policy", policy)
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-store")
                .build();
    }
}
