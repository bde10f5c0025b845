package dev.gatehouse.pages;

import io.quarkus.qute.RawString;
import io.quarkus.qute.TemplateExtension;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How the pages show an instant: {@code {key.createdAt.time}} writes a {@code <time>} element whose text is
 * readable in UTC ("5 Dec 2026, 03:21 UTC"), never the raw ISO form. The pages' script rewrites it in the
 * person's own time zone with how long ago or ahead it is ("3 hours ago"); the server cannot know the zone.
 */
@TemplateExtension
final class TimeText {
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private TimeText() {
    }

    static RawString time(Instant instant) {
        // Both parts are formatted digits and month names: nothing a person typed, nothing to escape.
        return new RawString("<time datetime=\"" + DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                + "\">" + SHOWN.format(instant) + "</time>");
    }
}
