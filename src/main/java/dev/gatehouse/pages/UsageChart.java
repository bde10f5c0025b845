package dev.gatehouse.pages;

import io.quarkus.qute.RawString;
import java.text.NumberFormat;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A key's uses per day as a small bar chart, drawn on the server as inline SVG: no script and no image
 * request, which the pages' Content-Security-Policy would refuse anyway. Screen readers get the same facts
 * as a sentence (the chart is {@code role="img"} with that label).
 */
final class UsageChart {
    static final int DAYS = 30;
    private static final int BAR = 3;
    private static final int GAP = 1;
    private static final int HEIGHT = 24;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);

    private UsageChart() {
    }

    /** {@code daily}: uses per UTC day, oldest first, the last being {@code lastDay}. */
    static RawString of(long[] daily, LocalDate lastDay) {
        long total = 0;
        int busiest = 0;
        for (int i = 0; i < daily.length; i++) {
            total += daily[i];
            if (daily[i] > daily[busiest]) {
                busiest = i;
            }
        }
        String label = total == 0 ? "No uses in the last " + daily.length + " days"
                : "Uses in the last " + daily.length + " days: " + count(total) + " in all; the busiest day, "
                        + DAY.format(lastDay.minusDays(daily.length - 1L - busiest)) + " (UTC), had " + count(daily[busiest]);
        int width = daily.length * (BAR + GAP) - GAP;
        StringBuilder svg = new StringBuilder(160 + daily.length * 60).append("<svg class=\"usage\" role=\"img\" viewBox=\"0 0 ")
                .append(width).append(' ').append(HEIGHT).append("\" width=\"").append(width * 2).append("\" height=\"").append(HEIGHT * 2)
                .append("\" aria-label=\"").append(label).append("\"><title>").append(label).append("</title>")
                .append("<line x1=\"0\" y1=\"").append(HEIGHT - 0.5).append("\" x2=\"").append(width).append("\" y2=\"")
                .append(HEIGHT - 0.5).append("\" class=\"axis\"/>");
        long highest = daily[busiest];
        for (int i = 0; i < daily.length; i++) {
            if (daily[i] == 0) {
                continue;
            }
            // At least one unit tall, so a day with a single use among thousands still shows.
            long height = Math.max(1, Math.round((double) daily[i] * (HEIGHT - 1) / highest));
            svg.append("<rect x=\"").append(i * (BAR + GAP)).append("\" y=\"").append(HEIGHT - 1 - height).append("\" width=\"")
                    .append(BAR).append("\" height=\"").append(height).append("\"/>");
        }
        return new RawString(svg.append("</svg>").toString());
    }

    private static String count(long uses) {
        return NumberFormat.getIntegerInstance(Locale.ENGLISH).format(uses) + (uses == 1 ? " use" : " uses");
    }
}
