package io.pglogs.cli.view;

import io.pglogs.cli.app.FailedPayloads;
import io.pglogs.cli.app.Ingest;
import io.pglogs.cli.failed.FailureQueue;
import io.pglogs.cli.term.Json;
import io.pglogs.cli.term.Printable;
import io.pglogs.cli.term.Style;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The failure queue: what waits in it, and what a redrive stored. */
public final class FailedView {
    private final PrintWriter out;
    private final Style style;
    private final boolean quiet;

    public FailedView(PrintWriter out, Style style, boolean quiet) {
        this.out = out;
        this.style = style;
        this.quiet = quiet;
    }

    /** @param local the session is the local pipeline's, which has no failure queue */
    public void shown(FailedPayloads.Report r, String environment, String function, boolean local, boolean json) {
        if (json) {
            out.println(Json.pretty(r));
            return;
        }
        if (r.queue() == null && local) {
            out.println("the local pipeline has no failure queue: its delivery loop retries a payload the forwarder "
                    + "fails until it is stored, and says so in its log (pglogs local status)");
            return;
        }
        if (r.queue() == null) {
            out.println(style.warn("no failure queue " + FailureQueue.conventionalName(function) + " (is "
                    + environment + " started?)"));
            return;
        }
        if (r.count() == 0) {
            out.println(style.ok("failure queue " + r.queue() + " is empty: every payload was stored"));
            return;
        }
        out.println(style.header("failure queue " + r.queue() + ": " + r.count() + " payload(s) not stored"));
        if (r.oldest() != null) {
            out.println(String.format("%-14s %s (%s ago)", "oldest", r.oldest(), ago(Instant.parse(r.oldest()))));
            out.println(String.format("%-14s %s (%s ago)", "newest", r.newest(), ago(Instant.parse(r.newest()))));
        }
        out.println("log groups:");
        r.logGroups().forEach((g, n) -> out.println(String.format("  %-60s %d", Printable.line(g), n)));
        if (r.firstError() != null) {
            out.println(String.format("%-14s %s", "first error", Printable.line(r.firstError())));
        }
        List<FailedPayloads.Payload> unredrivable = r.unredrivable();
        if (!unredrivable.isEmpty()) {
            // Redrive can never store these, so the queue never empties by itself and stop refuses while it holds them.
            out.println(style.warn(unredrivable.size() + " of them cannot be redriven ("
                    + Printable.line(unredrivable.get(0).unredrivable()) + "): they stay queued until they expire "
                    + "(14 days); to stop " + environment + " without them: pglogs stop " + environment
                    + " --discard-failed"));
        }
        if (!quiet && unredrivable.size() < r.payloads().size()) {
            out.println(style.dim("Replay them: pglogs failed redrive " + environment
                    + " (they stay queued until stored)"));
        }
    }

    private static String ago(Instant t) {
        Duration d = Duration.between(t, Instant.now());
        if (d.toDays() > 0) {
            return d.toDays() + "d " + d.toHoursPart() + "h";
        }
        if (d.toHours() > 0) {
            return d.toHours() + "h " + d.toMinutesPart() + "m";
        }
        return Math.max(0, d.toMinutes()) + "m";
    }

    public void redriven(Ingest.RedriveReport report, String table, boolean json) {
        if (json) {
            out.println(Json.pretty(report));
            return;
        }
        for (Ingest.StillFailing f : report.stillFailing()) {
            out.println(style.error("still fails") + " " + f.messageId() + " " + Printable.line(f.logGroup())
                    + ": " + Printable.line(f.reason()));
        }
        String summary = "stored " + report.stored() + " payload(s), " + report.entries() + " entries, into "
                + table + "; " + report.stillFailing().size() + " still fail and stay in " + report.queue();
        out.println(report.stillFailing().isEmpty() ? style.ok(summary) : style.warn(summary));
    }
}
