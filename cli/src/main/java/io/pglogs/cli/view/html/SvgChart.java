package io.pglogs.cli.view.html;

import java.util.List;
import java.util.Locale;

/**
 * Charts drawn as inline SVG, so the report needs no script, no font and no network to show them: a histogram (one
 * bar a point, each with its value as a tooltip) and a series over time (a line, for a day of minutes where bars would
 * be narrower than a pixel, with its peak marked). Both have a titled y axis with round ticks and a titled x axis
 * labelled at most {@value #MAX_X_LABELS} times.
 */
public final class SvgChart {
    /** One value on the x axis; {@code label} is what the axis and the tooltip say of it. */
    public record Point(String label, long value) {
    }

    static final int WIDTH = 960;
    static final int HEIGHT = 260;
    static final int LEFT = 64;
    static final int RIGHT = 16;
    static final int TOP = 16;
    static final int BOTTOM = 56;
    static final int MAX_X_LABELS = 12;
    /** The widest a bar's slot gets: a few hours draw as bars, not as one block across the chart. */
    static final int MAX_SLOT = 48;
    private static final int PLOT_W = WIDTH - LEFT - RIGHT;
    private static final int PLOT_H = HEIGHT - TOP - BOTTOM;

    private SvgChart() {
    }

    /** A histogram of {@code points}, one bar each. */
    public static void bars(Markup m, String title, String xAxis, String yAxis, List<Point> points) {
        Scale y = Scale.of(max(points));
        start(m, title, "bars", y);
        double slot = Math.min(MAX_SLOT, (double) PLOT_W / Math.max(1, points.size()));
        double gap = slot > 4 ? Math.min(slot * 0.15, 4) : 0;
        m.open("g", "class", "series");
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            double h = y.height(p.value());
            m.open("rect", "class", "bar", "x", fmt(LEFT + i * slot + gap / 2), "y", fmt(TOP + PLOT_H - h),
                    "width", fmt(Math.max(0.5, slot - gap)), "height", fmt(h),
                    "data-label", p.label(), "data-value", Long.toString(p.value()))
                    .element("title", p.label() + ": " + Numbers.count(p.value()))
                    .close("rect");
        }
        m.close("g");
        xLabels(m, points, i -> LEFT + (i + 0.5) * slot);
        end(m, xAxis, yAxis);
    }

    /** {@code points} in order along the x axis as one line, the highest marked with its value. */
    public static void line(Markup m, String title, String xAxis, String yAxis, List<Point> points) {
        Scale y = Scale.of(max(points));
        start(m, title, "line", y);
        double step = points.size() > 1 ? (double) PLOT_W / (points.size() - 1) : 0;
        double x0 = points.size() > 1 ? LEFT : LEFT + PLOT_W / 2.0;
        StringBuilder coords = new StringBuilder(points.size() * 12);
        int peak = 0;
        for (int i = 0; i < points.size(); i++) {
            if (points.get(i).value() > points.get(peak).value()) {
                peak = i;
            }
            coords.append(fmt(x0 + i * step)).append(',').append(fmt(TOP + PLOT_H - y.height(points.get(i).value())))
                    .append(' ');
        }
        m.empty("polyline", "class", "line", "points", coords.toString().trim());
        if (!points.isEmpty()) {
            Point p = points.get(peak);
            m.open("circle", "class", "peak", "cx", fmt(x0 + peak * step), "cy", fmt(TOP + PLOT_H - y.height(p.value())),
                    "r", "4", "data-label", p.label(), "data-value", Long.toString(p.value()))
                    .element("title", "peak " + Numbers.count(p.value()) + " at " + p.label())
                    .close("circle");
        }
        xLabels(m, points, i -> x0 + i * step);
        end(m, xAxis, yAxis);
    }

    private static void start(Markup m, String title, String kind, Scale y) {
        m.open("figure", "class", "chart " + kind);
        m.open("svg", "viewBox", "0 0 " + WIDTH + " " + HEIGHT,
                "role", "img", "aria-label", title);
        m.element("title", title);
        m.open("g", "class", "axis y");
        for (long t = 0; t <= y.max(); t += y.step()) {
            String at = fmt(TOP + PLOT_H - y.height(t));
            m.empty("line", "class", t == 0 ? "base" : "grid", "x1", fmt(LEFT), "x2", fmt(LEFT + PLOT_W), "y1", at,
                    "y2", at);
            m.element("text", Numbers.count(t), "x", fmt(LEFT - 6), "y", at, "text-anchor", "end",
                    "dominant-baseline", "middle");
        }
        m.close("g");
    }

    private static void xLabels(Markup m, List<Point> points, java.util.function.IntToDoubleFunction x) {
        int every = Math.max(1, (points.size() + MAX_X_LABELS - 1) / MAX_X_LABELS);
        m.open("g", "class", "axis x");
        for (int i = 0; i < points.size(); i += every) {
            m.element("text", points.get(i).label(), "x", fmt(x.applyAsDouble(i)), "y", fmt(TOP + PLOT_H + 16),
                    "text-anchor", "middle");
        }
        m.close("g");
    }

    private static void end(Markup m, String xAxis, String yAxis) {
        m.element("text", xAxis, "class", "axis-title", "x", fmt(LEFT + PLOT_W / 2.0), "y", fmt(HEIGHT - 8),
                "text-anchor", "middle");
        m.element("text", yAxis, "class", "axis-title", "x", "0", "y", "0", "text-anchor", "middle",
                "transform", "translate(14 " + fmt(TOP + PLOT_H / 2.0) + ") rotate(-90)");
        m.close("svg");
        m.close("figure");
    }

    private static long max(List<Point> points) {
        return points.stream().mapToLong(Point::value).max().orElse(0);
    }

    /** A y axis from 0 to a round maximum at or above the data's, in steps of 1, 2 or 5 times a power of ten. */
    record Scale(long max, long step) {
        static Scale of(long dataMax) {
            long target = Math.max(1, dataMax);
            long step = 1;
            // The smallest round step that draws the data in at most four intervals.
            while (step * 4 < target) {
                step = roundUp(step);
            }
            return new Scale(((target + step - 1) / step) * step, step);
        }

        double height(long value) {
            return (double) value / max * PLOT_H;
        }

        private static long nextBase(long step) {
            long base = 1;
            while (base * 10 <= step) {
                base *= 10;
            }
            return base;
        }

        /** 1, 2, 5, 10, 20, 50, ... : the next round step above {@code step}. */
        private static long roundUp(long step) {
            long base = nextBase(step);
            long lead = step / base;
            return lead < 2 ? 2 * base : lead < 5 ? 5 * base : 10 * base;
        }
    }

    private static String fmt(double v) {
        String s = String.format(Locale.ROOT, "%.1f", v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
