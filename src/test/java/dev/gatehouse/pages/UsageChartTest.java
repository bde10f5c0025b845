package dev.gatehouse.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class UsageChartTest {
    private static final Pattern BAR = Pattern.compile("<rect x=\"(\\d+)\" y=\"(\\d+)\" width=\"3\" height=\"(\\d+)\"/>");

    @Test
    void oneBarPerDayWithUseScaledToTheBusiestAndTheFactsInWords() {
        long[] daily = new long[30];
        daily[0] = 1;
        daily[10] = 1000;
        daily[29] = 500;
        String svg = UsageChart.of(daily, LocalDate.of(2026, 12, 5)).getValue();

        List<int[]> bars = new ArrayList<>();
        Matcher bar = BAR.matcher(svg);
        while (bar.find()) {
            bars.add(new int[] {Integer.parseInt(bar.group(1)), Integer.parseInt(bar.group(2)), Integer.parseInt(bar.group(3))});
        }
        assertEquals(3, bars.size(), "days without use draw nothing: " + svg);
        assertEquals(0, bars.get(0)[0]);
        assertEquals(40, bars.get(1)[0], "day 10 sits 10 bars in");
        assertEquals(23, bars.get(1)[2], "the busiest day is full height");
        assertEquals(1, bars.get(0)[2], "one use among a thousand still shows");
        assertEquals(12, bars.get(2)[2], "half the busiest, half the height");
        for (int[] b : bars) {
            assertEquals(23, b[1] + b[2], "bars stand on the axis");
        }
        assertTrue(svg.contains("aria-label=\"Uses in the last 30 days: 1,501 uses in all; the busiest day, 16 Nov 2026 (UTC), had 1,000 uses\""), svg);
        assertTrue(svg.startsWith("<svg class=\"usage\" role=\"img\""));
    }

    @Test
    void aQuietKeySaysSo() {
        String svg = UsageChart.of(new long[30], LocalDate.of(2026, 12, 5)).getValue();
        assertTrue(svg.contains("aria-label=\"No uses in the last 30 days\""));
        assertTrue(!svg.contains("<rect"));
    }
}
