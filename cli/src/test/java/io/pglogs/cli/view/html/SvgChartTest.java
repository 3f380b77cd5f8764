package io.pglogs.cli.view.html;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SvgChartTest {
    private static final Pattern BAR = Pattern.compile(
            "<rect class=\"bar\" x=\"([\\d.]+)\" y=\"([\\d.]+)\" width=\"([\\d.]+)\" height=\"([\\d.]+)\" "
                    + "data-label=\"([^\"]*)\" data-value=\"(\\d+)\">");

    private static List<SvgChart.Point> hours(long... counts) {
        List<SvgChart.Point> points = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            points.add(new SvgChart.Point(String.format("%02d:00", i), counts[i]));
        }
        return points;
    }

    @Test
    void aBarPerPointWithHeightsInProportionToTheValues() {
        Markup m = new Markup();
        SvgChart.bars(m, "Entries per hour", "hour (UTC)", "entries", hours(10, 0, 40, 25));
        String svg = m.toString();
        Matcher bar = BAR.matcher(svg);
        List<double[]> bars = new ArrayList<>();
        List<String> values = new ArrayList<>();
        while (bar.find()) {
            bars.add(new double[] {Double.parseDouble(bar.group(1)), Double.parseDouble(bar.group(4))});
            values.add(bar.group(5) + "=" + bar.group(6));
        }
        assertEquals(List.of("00:00=10", "01:00=0", "02:00=40", "03:00=25"), values);
        assertEquals(0, bars.get(1)[1]);
        assertEquals(4.0, bars.get(2)[1] / bars.get(0)[1], 0.02);
        assertEquals(2.5, bars.get(3)[1] / bars.get(0)[1], 0.02);
        for (int i = 1; i < bars.size(); i++) {
            assertTrue(bars.get(i)[0] > bars.get(i - 1)[0], "bars left to right");
        }
        // The tallest bar reaches the top tick (40: ticks 0, 10, 20, 30, 40), and the axes say what they count.
        assertEquals(SvgChart.HEIGHT - SvgChart.TOP - SvgChart.BOTTOM, bars.get(2)[1], 0.05);
        for (String tick : List.of(">0<", ">10<", ">20<", ">30<", ">40<")) {
            assertTrue(svg.contains(tick), tick + " in " + svg);
        }
        assertTrue(svg.contains(">hour (UTC)</text>"));
        assertTrue(svg.contains(">entries</text>"));
        assertTrue(svg.contains("<title>02:00: 40</title>"), "each bar says its value");
        assertTrue(svg.contains("aria-label=\"Entries per hour\""));
    }

    @Test
    void labelsAreEscapedAndThinnedOut() {
        List<SvgChart.Point> points = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            points.add(new SvgChart.Point("<h" + i + ">", i));
        }
        Markup m = new Markup();
        SvgChart.bars(m, "t", "x", "y", points);
        String svg = m.toString();
        assertFalse(svg.contains("<h1>"));
        int labels = svg.split("text-anchor=\"middle\">&lt;h", -1).length - 1;
        assertTrue(labels <= SvgChart.MAX_X_LABELS && labels >= SvgChart.MAX_X_LABELS / 2, "labels: " + labels);
    }

    @Test
    void nothingButZerosStillDraws() {
        Markup m = new Markup();
        SvgChart.bars(m, "t", "x", "y", hours(0, 0));
        assertFalse(m.toString().contains("NaN"));
        m = new Markup();
        SvgChart.line(m, "t", "x", "y", List.of());
        assertFalse(m.toString().contains("NaN"));
    }

    @Test
    void aLineThroughEveryPointWithItsPeakMarked() {
        List<SvgChart.Point> minutes = new ArrayList<>();
        for (int i = 0; i < 1440; i++) {
            minutes.add(new SvgChart.Point(String.format("%02d:%02d", i / 60, i % 60), i == 725 ? 97 : i % 7));
        }
        Markup m = new Markup();
        SvgChart.line(m, "Connections per minute", "time (UTC)", "connections", minutes);
        String svg = m.toString();
        Matcher points = Pattern.compile("<polyline class=\"line\" points=\"([^\"]+)\"/>").matcher(svg);
        assertTrue(points.find(), svg);
        assertEquals(1440, points.group(1).split(" ").length);
        assertTrue(svg.contains("data-label=\"12:05\" data-value=\"97\"><title>peak 97 at 12:05</title>"), svg);
    }

    @Test
    void theYAxisEndsOnARoundNumber() {
        assertEquals(new SvgChart.Scale(1, 1), SvgChart.Scale.of(0));
        assertEquals(new SvgChart.Scale(3, 1), SvgChart.Scale.of(3));
        assertEquals(new SvgChart.Scale(8, 2), SvgChart.Scale.of(7));
        assertEquals(new SvgChart.Scale(100, 50), SvgChart.Scale.of(100));
        assertEquals(new SvgChart.Scale(1500, 500), SvgChart.Scale.of(1234));
        assertEquals(new SvgChart.Scale(6_000_000, 2_000_000), SvgChart.Scale.of(4_000_001));
    }
}
