package io.pglogs.cli.view;

import io.pglogs.cli.app.Reports;
import io.pglogs.cli.term.Printable;
import io.pglogs.cli.term.Style;
import io.pglogs.report.Checkpoints;
import io.pglogs.report.Connections;
import io.pglogs.report.Errors;
import io.pglogs.report.Folded;
import io.pglogs.report.Hourly;
import io.pglogs.report.Locks;
import io.pglogs.report.NameCount;
import io.pglogs.report.Overview;
import io.pglogs.report.Report;
import io.pglogs.report.TempFiles;
import io.pglogs.report.Vacuums;
import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The report for a terminal or a pager: a heading per section with its totals and busiest hour, then tables that fit
 * the width. Sections with nothing are left out. Log content is made printable ({@link Printable}).
 */
final class ReportTextView extends ReportView {
    private static final String INDENT = "  ";
    private final Style style;
    private final int width;

    ReportTextView(PrintWriter out, PrintWriter err, Style style, int width) {
        super(out, err);
        this.style = style;
        this.width = Math.max(60, width);
    }

    @Override
    protected void render(Reports.Result result, boolean quiet) {
        Report r = result.report();
        if (r.isEmpty()) {
            out.println(nothing(r));
            return;
        }
        overview(r.overview());
        new ReportTextStatements(out, style, width).print(r.statements());
        errors(r.errors());
        locks(r.locks());
        tempFiles(r.tempFiles());
        checkpoints(r.checkpoints());
        vacuums(r.vacuums());
        connections(r.connections());
    }

    /** A section's heading: its name, its totals, its busiest hour. */
    static void heading(PrintWriter out, Style style, int width, String name, String totals, Hourly hourly) {
        out.println();
        String busiest = hourly.busiest() == null ? "" : "; busiest hour " + Times.hour(hourly.busiest().hour())
                + " (" + Amounts.count(hourly.busiest().count()) + ")";
        List<String> lines = Wrap.lines(name + "  " + totals + busiest, width, "", INDENT + INDENT);
        out.println(style.header(name) + lines.get(0).substring(name.length()));
        lines.stream().skip(1).forEach(out::println);
    }

    /** A line of prose (totals, lists of names), made printable and folded to the width. */
    static void prose(PrintWriter out, int width, String text) {
        Wrap.lines(Printable.line(text), width, INDENT, INDENT + INDENT).forEach(out::println);
    }

    static void folded(PrintWriter out, Style style, int width, Folded f, String what) {
        if (f.any()) {
            Wrap.lines("folded: " + Amounts.count(f.groups()) + " " + what + " (" + Amounts.count(f.entries())
                    + " entries) pushed out of a table of " + Amounts.count(f.capacity())
                    + " (--max-fingerprints); the totals count them", width, INDENT, INDENT + INDENT)
                    .forEach(l -> out.println(style.warn(l)));
        }
    }

    private void overview(Overview o) {
        out.println(style.header("pglogs report") + "  " + Times.second(o.from()) + " to " + Times.second(o.until())
                + " UTC");
        prose(out, width, "entries from " + Times.second(o.first()) + " to " + Times.second(o.last()));
        prose(out, width, "instances: " + o.instances().stream()
                .map(i -> i.name() + " (" + Amounts.count(i.count()) + ")").collect(Collectors.joining(", ")));
        heading(out, style, width, "Overview", Amounts.count(o.entries()) + " entries", o.hourly());
        prose(out, width, "severity: " + names(o.severities()));
        prose(out, width, "kind: " + names(o.kinds()));
        if (o.sources() != null) {
            prose(out, width, "from: " + SourcesText.of(o.sources()));
        }
        if (o.reclassified() > 0) {
            prose(out, width, "classified here: " + Amounts.count(o.reclassified()) + " entries stored without a "
                    + "kind (written before kinds were derived)");
        }
        histogram(o.hourly());
    }

    private String names(List<NameCount> counts) {
        return Printable.line(counts.stream().map(c -> c.name() + " " + Amounts.count(c.count()))
                .collect(Collectors.joining(", ")));
    }

    /** Entries per hour as bars, every hour from the first to the last (an empty one shows as 0, as the HTML chart
     * does: a gap is news); past two days, per day (the hours of a week do not fit a screen). */
    private void histogram(Hourly hourly) {
        List<Hourly.Count> rows = hourly.hours();
        if (rows.isEmpty()) {
            return;
        }
        boolean daily = rows.size() > 48 || java.time.Duration.between(rows.get(0).hour(),
                rows.get(rows.size() - 1).hour()).toHours() >= 48;
        java.time.temporal.ChronoUnit unit = daily ? java.time.temporal.ChronoUnit.DAYS
                : java.time.temporal.ChronoUnit.HOURS;
        java.util.TreeMap<java.time.Instant, Long> counts = rows.stream().collect(Collectors.groupingBy(
                c -> c.hour().truncatedTo(unit), java.util.TreeMap::new, Collectors.summingLong(Hourly.Count::count)));
        long max = counts.values().stream().mapToLong(Long::longValue).max().orElse(1);
        int bar = Math.max(10, width - 36);
        out.println(INDENT + style.dim(daily ? "per day" : "per hour"));
        for (java.time.Instant at = counts.firstKey(); !at.isAfter(counts.lastKey()); at = at.plus(1, unit)) {
            long count = counts.getOrDefault(at, 0L);
            String label = daily ? Times.hour(at).substring(0, 10) : Times.hour(at);
            int n = count == 0 ? 0 : (int) Math.max(1, Math.round((double) count * bar / max));
            out.println(String.format("%s%-16s %10s %s", INDENT, label, Amounts.count(count),
                    style.ok("\u2588".repeat(n))).stripTrailing());
        }
    }

    private void errors(Errors e) {
        if (e.isEmpty()) {
            return;
        }
        heading(out, style, width, "Errors", Amounts.count(e.count()) + " (" + names(e.bySeverity()) + ")", e.hourly());
        TextTable classes = new TextTable("class", "count>", "name");
        e.byClass().forEach(c -> classes.row(c.sqlstateClass().isEmpty() ? "-" : c.sqlstateClass(),
                Amounts.count(c.count()), c.description().isEmpty() ? "(not logged)" : c.description()));
        classes.print(out, style, width, INDENT);
        out.println();
        TextTable messages = new TextTable("count>", "~first", "last", "message");
        // A count that folding may have cut is a lower bound: marked, its bound (uncounted) in the JSON.
        e.byMessage().forEach(g -> messages.row((g.uncounted() > 0 ? ">=" : "") + Amounts.count(g.count()),
                Times.second(g.first()), Times.second(g.last()), g.severity() + ":  " + g.message()));
        messages.print(out, style, width, INDENT);
        folded(out, style, width, e.folded(), "messages");
        if (!e.byMessage().isEmpty()) {
            var top = e.byMessage().get(0);
            out.println(INDENT + style.dim("the most frequent, one of them:"));
            sample("", top.sample());
            sample("DETAIL:  ", top.detail());
            sample("STATEMENT:  ", top.statement());
        }
    }

    private void sample(String label, String text) {
        if (text != null) {
            out.println(INDENT + INDENT + TextTable.fit(Printable.line(label + text), width - 4));
        }
    }

    private void locks(Locks l) {
        if (l.isEmpty()) {
            return;
        }
        heading(out, style, width, "Locks", Amounts.count(l.waits()) + " waits, " + Amounts.count(l.acquired())
                + " acquired after waiting, " + Amounts.count(l.deadlocks()) + " deadlocks; longest wait "
                + Amounts.ms(l.maxWaitMs()), l.hourly());
        TextTable waits = new TextTable("at", "~instance", "~pid>", "waited>", "statement");
        l.longest().forEach(w -> waits.row(Times.second(w.at()), w.instance(), w.pid(), Amounts.ms(w.waitMs()),
                w.statement() != null ? w.statement() : w.message()));
        if (!waits.isEmpty()) {
            waits.print(out, style, width, INDENT);
        }
        for (Locks.LockEvent d : l.deadlockEvents()) {
            out.println(INDENT + style.error("deadlock") + " " + Times.second(d.at()) + " " + TextTable.fit(
                    Printable.line(d.instance()), width / 2) + " pid " + d.pid());
            if (d.detail() != null) {
                d.detail().lines().forEach(line -> out.println(INDENT + INDENT + TextTable.fit(Printable.line(
                        line.strip()), width - 4)));
            }
            sample("STATEMENT:  ", d.statement());
        }
    }

    private void tempFiles(TempFiles t) {
        if (t.isEmpty()) {
            return;
        }
        heading(out, style, width, "Temp files", Amounts.count(t.count()) + " files, " + Amounts.bytes(t.totalBytes())
                + " in all, largest " + Amounts.bytes(t.maxBytes()), t.hourly());
        TextTable table = new TextTable("files>", "total>", "largest>", "statement");
        t.byStatement().forEach(s -> table.row(Amounts.count(s.count()), Amounts.bytes(s.totalBytes()),
                Amounts.bytes(s.maxBytes()), s.text()));
        if (!table.isEmpty()) {
            table.print(out, style, width, INDENT);
        }
        folded(out, style, width, t.folded(), "statements");
    }

    private void checkpoints(Checkpoints c) {
        if (c.isEmpty()) {
            return;
        }
        heading(out, style, width, "Checkpoints", Amounts.count(c.started()) + " started (" + names(c.byCause()) + "), "
                + Amounts.count(c.completed()) + " complete", c.hourly());
        prose(out, width, Amounts.count(c.buffers()) + " buffers written; write " + Amounts.seconds(c.writeS())
                + ", sync " + Amounts.seconds(c.syncS()) + ", total " + Amounts.seconds(c.totalS()));
        if (c.worst() != null) {
            prose(out, width, "worst: " + Times.second(c.worst().at()) + " " + c.worst().instance() + ": "
                    + Amounts.count(c.worst().buffers()) + " buffers, total " + Amounts.seconds(c.worst().totalS()));
        }
    }

    private void vacuums(Vacuums v) {
        if (v.isEmpty()) {
            return;
        }
        heading(out, style, width, "Vacuum and analyze", Amounts.count(v.vacuums()) + " autovacuums, "
                + Amounts.count(v.analyzes()) + " autoanalyzes", v.hourly());
        TextTable table = new TextTable("vacuums>", "analyzes>", "~pages removed>", "~tuples removed>",
                "~elapsed>", "table");
        v.tables().forEach(t -> table.row(Amounts.count(t.vacuums()), Amounts.count(t.analyzes()),
                Amounts.count(t.pagesRemoved()), Amounts.count(t.tuplesRemoved()), Amounts.seconds(t.elapsedS()),
                t.relation()));
        table.print(out, style, width, INDENT);
        folded(out, style, width, v.folded(), "tables");
    }

    private void connections(Connections c) {
        if (c.isEmpty()) {
            return;
        }
        heading(out, style, width, "Connections and sessions", Amounts.count(c.authorized()) + " connections, "
                + Amounts.count(c.authFailures()) + " authentication failures, " + Amounts.count(c.refused())
                + " refused; " + Amounts.count(c.sessions()) + " sessions, " + Amounts.ms(c.sessions() == 0 ? 0
                : c.sessionMs() / c.sessions()) + " mean, " + Amounts.ms(c.maxSessionMs()) + " longest", c.hourly());
        for (var by : List.of(List.of("user", c.byUser()), List.of("database", c.byDatabase()),
                List.of("client", c.byClient()))) {
            @SuppressWarnings("unchecked")
            List<Connections.Party> parties = (List<Connections.Party>) by.get(1);
            if (parties.isEmpty()) {
                continue;
            }
            TextTable table = new TextTable("connections>", "~auth failures>", "sessions>", "~mean>",
                    "~longest>", (String) by.get(0));
            parties.forEach(p -> table.row(Amounts.count(p.connections()), Amounts.count(p.authFailures()),
                    Amounts.count(p.sessions()), Amounts.ms(p.meanSessionMs()), Amounts.ms(p.maxSessionMs()),
                    p.name().isEmpty() ? "-" : p.name()));
            table.print(out, style, width, INDENT);
            out.println();
        }
        if (!c.peaks().isEmpty()) {
            prose(out, width, "busiest minutes: " + c.peaks().stream().map(m -> Times.minute(m.minute()) + " ("
                    + Amounts.count(m.connections()) + ")").collect(Collectors.joining(", ")));
        }
    }
}
