package io.pglogs.cli.ingest;

import io.pglogs.cli.term.Printable;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of long work: on a terminal one line redrawn in place (bar, entries, rate, what is being read), at most
 * ten times a second; elsewhere a plain line per step, so logs of scripted runs stay readable, and for work counted
 * in units ({@link #count}) a plain line every {@link #PLAIN_EVERY_NANOS 30 s}, so a CI job that kills silent steps
 * sees it is alive. Thread-safe: every line (progress, steps, warnings from other threads) is written under one lock,
 * so none is cut into another.
 */
public final class Progress {
    private static final long REDRAW_NANOS = 100_000_000L;
    /** Off a terminal, the least time between two {@link #count} lines. */
    static final long PLAIN_EVERY_NANOS = 30_000_000_000L;
    private final PrintWriter err;
    private final boolean terminal;
    private final boolean quiet;
    private final long plainEveryNanos;
    private final long start = System.nanoTime();
    private long lastDraw;
    private long lastPlain = start;
    private boolean drawn;

    public Progress(PrintWriter err, boolean terminal, boolean quiet) {
        this(err, terminal, quiet, PLAIN_EVERY_NANOS);
    }

    /** @param plainEveryNanos off a terminal, the least time between two {@link #count} lines (tests: 0) */
    Progress(PrintWriter err, boolean terminal, boolean quiet, long plainEveryNanos) {
        this.err = err;
        this.terminal = terminal;
        this.quiet = quiet;
        this.plainEveryNanos = plainEveryNanos;
    }

    /** @param fraction how far through (0..1), or negative when unknown */
    public synchronized void update(String what, long entries, double fraction) {
        draw(String.format(Locale.ROOT, "%,d entries, %,.0f/s  %s", entries, rate(entries), Printable.line(what)),
                fraction);
    }

    /**
     * As {@link #update} for work counted in other units: "rolling up 120/400 spans  2026-01-01T10:00:00.000Z"; off a
     * terminal "rolling up 120/400 spans" on a line of its own, at most every 30 s.
     */
    public synchronized void count(String doing, long done, long total, String unit, String what) {
        if (!terminal && !quiet) {
            long now = System.nanoTime();
            if (now - lastPlain >= plainEveryNanos) {
                lastPlain = now;
                err.println(String.format(Locale.ROOT, "%s %,d/%,d %s", doing, done, total, unit));
                err.flush();
            }
            return;
        }
        draw(String.format(Locale.ROOT, "%s %,d/%,d %s  %s", doing, done, total, unit, Printable.line(what)),
                total <= 0 ? -1 : (double) done / total);
    }

    private void draw(String text, double fraction) {
        if (quiet || !terminal) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        StringBuilder line = new StringBuilder("\r");
        if (fraction >= 0) {
            int width = 24;
            int filled = (int) Math.round(Math.min(1, fraction) * width);
            line.append('[').append("=".repeat(filled)).append(" ".repeat(width - filled)).append("] ")
                    .append(String.format(Locale.ROOT, "%3.0f%% ", fraction * 100));
        }
        line.append(text);
        err.print(line.length() > 120 ? line.substring(0, 120) : line + "\u001b[K");
        err.flush();
        drawn = true;
    }

    /** A step worth a line of its own (a file done, a log group done). */
    public synchronized void step(String message) {
        if (quiet) {
            return;
        }
        clear();
        err.println(Printable.text(message));
        err.flush();
    }

    /** A line said even when quiet (a warning, a reason), from any thread; {@code message} already printable. */
    public synchronized void warn(String message) {
        clear();
        err.println(message);
        err.flush();
    }

    public synchronized void clear() {
        if (drawn) {
            err.print("\r\u001b[K");
            err.flush();
            drawn = false;
        }
    }

    public double rate(long entries) {
        double seconds = (System.nanoTime() - start) / 1e9;
        return seconds <= 0 ? 0 : entries / seconds;
    }

    public double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }
}
