package dev.gatehouse.web;

import io.quarkus.qute.TemplateExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** {@code {value.queryValue}} in a template: the value encoded for a URL's query (then HTML-escaped as usual). */
@TemplateExtension
final class QueryText {
    private QueryText() {
    }

    static String queryValue(String value) {
        return value == null ? "" : URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
