package io.pglogs.cli.view;

import io.pglogs.cli.term.Sizes;
import io.pglogs.cli.view.html.HtmlPage;
import io.pglogs.cli.view.html.HtmlTable.Column;
import io.pglogs.cli.view.html.HtmlTable;
import io.pglogs.cli.view.html.Markup;
import io.pglogs.cli.view.html.Numbers;
import io.pglogs.cli.view.html.SvgChart;
import io.pglogs.cli.view.html.Totals;
import io.pglogs.report.Checkpoints;
import io.pglogs.report.Connections;
import io.pglogs.report.ErrorGroup;
import io.pglogs.report.Errors;
import io.pglogs.report.Folded;
import io.pglogs.report.Hourly;
import io.pglogs.report.Locks;
import io.pglogs.report.NameCount;
import io.pglogs.report.Overview;
import io.pglogs.report.Report;
import io.pglogs.report.StatementGroup;
import io.pglogs.report.Statements;
import io.pglogs.report.TempFiles;
import io.pglogs.report.Vacuums;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTML report's page: the report as one self-contained document ({@link HtmlPage}), a section for each part of
 * the report that holds something, each with its totals, its busiest hour and its events per hour as an SVG chart
 * over the same hours as the overview's, then its tables. Times are UTC; durations in milliseconds, as the JSON
 * report has them, so the two read alike. Everything from the logs is escaped text ({@link Markup}).
 */
final class ReportHtmlPage {
    /** Up to this many hours a histogram draws a bar per hour; a longer window draws a line. */
    static final int MAX_BARS = 168;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:00").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY_HOUR = DateTimeFormatter.ofPattern("MM-dd HH:00")
            .withZone(ZoneOffset.UTC);

    private final Report report;
    private final List<Instant> hours;

    ReportHtmlPage(Report report) {
        this.report = report;
        this.hours = hoursOf(report.overview().hourly());
    }

    String page(String title) {
        Markup m = new Markup();
        Overview o = report.overview();
        m.open("header").element("h1", title);
        m.element("p", "Window asked for: " + time(o.from()) + " to " + time(o.until()) + " (UTC)", "class", "meta");
        if (report.isEmpty()) {
            m.element("p", "No entries in this window.", "class", "note", "id", "empty");
            m.close("header");
            return HtmlPage.of(title, m);
        }
        m.element("p", "Entries read: " + time(o.first()) + " to " + time(o.last()), "class", "meta");
        m.close("header");
        overview(m, o);
        if (!report.statements().isEmpty()) {
            statements(m, report.statements());
        }
        if (!report.errors().isEmpty()) {
            errors(m, report.errors());
        }
        if (!report.locks().isEmpty()) {
            locks(m, report.locks());
        }
        if (!report.tempFiles().isEmpty()) {
            tempFiles(m, report.tempFiles());
        }
        if (!report.checkpoints().isEmpty()) {
            checkpoints(m, report.checkpoints());
        }
        if (!report.vacuums().isEmpty()) {
            vacuums(m, report.vacuums());
        }
        if (!report.connections().isEmpty()) {
            connections(m, report.connections());
        }
        m.open("footer").text("Made by pglogs report from the stored entries; times UTC, durations in ms.")
                .close("footer");
        return HtmlPage.of(title, m);
    }

    private void overview(Markup m, Overview o) {
        open(m, "overview", "Overview");
        new Totals().add("entries", "entries", Numbers.count(o.entries()))
                .add("instances", "instances", Numbers.count(o.instances().size()))
                .add("busiest_hour", "busiest hour", busiest(o.hourly()))
                .writeTo(m);
        if (o.sources() != null) {
            m.element("p", "Counted from " + SourcesText.of(o.sources()), "class", "meta", "id", "sources");
        }
        chart(m, "Entries per hour", "entries", o.hourly());
        m.open("div", "class", "cols");
        names(m, "severities", "Entries per severity", "severity", "entries", o.severities());
        names(m, "kinds", "Entries per kind", "kind", "entries", o.kinds());
        names(m, "instances", "Entries per instance", "instance", "entries", o.instances());
        m.close("div");
        m.close("section");
    }

    private void statements(Markup m, Statements s) {
        open(m, "statements", "Statements");
        Totals t = new Totals().add("count", "runs", Numbers.count(s.count()))
                .add("total_ms", "total time (ms)", Numbers.millis(s.totalMs()));
        if (s.logged() > 0) {
            t.add("logged", "logged without a duration", Numbers.count(s.logged()));
        }
        if (s.autoExplain() > 0) {
            t.add("auto_explain", "auto_explain plans", Numbers.count(s.autoExplain()));
        }
        if (s.withoutText() > 0) {
            t.add("without_text", "durations without a statement", Numbers.count(s.withoutText()));
        }
        if (s.parseBind() > 0) {
            t.add("parse_bind", "parse/bind steps", Numbers.count(s.parseBind()))
                    .add("parse_bind_ms", "parse/bind time (ms)", Numbers.millis(s.parseBindMs()));
        }
        t.add("busiest_hour", "busiest hour", busiest(s.hourly())).writeTo(m);
        folded(m, s.folded(), "statements");
        chart(m, "Statement runs per hour", "runs", s.hourly());
        statementTable(m, "by-total", "Top statements by total time", s.byTotal());
        statementTable(m, "by-slowest", "Top statements by slowest run", s.bySlowest());
        statementTable(m, "by-count", "Top statements by count", s.byCount());
        m.close("section");
    }

    private static void statementTable(Markup m, String id, String caption, List<StatementGroup> groups) {
        if (groups.isEmpty()) {
            return;
        }
        HtmlTable t = new HtmlTable(caption, Column.code("statement"), Column.number("count"),
                Column.number("total ms"), Column.number("mean ms"), Column.number("p50 ms"),
                Column.number("p95 ms"), Column.number("max ms"), Column.text("users"), Column.text("databases"),
                Column.code("sample"));
        for (StatementGroup g : groups) {
            t.keyedRow(g.fingerprint(), g.text(), Numbers.count(g.count()) + bound(g), Numbers.millis(g.totalMs()),
                    Numbers.millis(g.meanMs()), Numbers.millis(g.p50Ms()), Numbers.millis(g.p95Ms()),
                    Numbers.millis(g.maxMs()), String.join(", ", g.users()), String.join(", ", g.databases()),
                    g.sample() == null ? "" : g.sample() + "\n-- " + g.instance() + ", " + time(g.sampleAt()));
        }
        table(m, id, t);
    }

    private void errors(Markup m, Errors e) {
        open(m, "errors", "Errors");
        new Totals().add("count", "errors", Numbers.count(e.count()))
                .add("busiest_hour", "busiest hour", busiest(e.hourly())).writeTo(m);
        folded(m, e.folded(), "messages");
        chart(m, "Errors per hour", "errors", e.hourly());
        m.open("div", "class", "cols");
        names(m, "by-severity", "Errors per severity", "severity", "errors", e.bySeverity());
        HtmlTable classes = new HtmlTable("Errors per SQLSTATE class", Column.text("class"),
                Column.text("description"), Column.number("errors"));
        for (Errors.SqlStateClassCount c : e.byClass()) {
            classes.keyedRow(c.sqlstateClass(), c.sqlstateClass().isEmpty() ? "?" : c.sqlstateClass(),
                    c.description().isEmpty() ? "not known" : c.description(), Numbers.count(c.count()));
        }
        table(m, "by-class", classes);
        m.close("div");
        HtmlTable messages = new HtmlTable("Top error messages", Column.text("severity"), Column.text("class"),
                Column.code("message"), Column.number("count"), Column.text("first"), Column.text("last"),
                Column.code("sample"));
        for (ErrorGroup g : e.byMessage()) {
            StringBuilder sample = new StringBuilder(nonNull(g.sample()));
            if (g.detail() != null) {
                sample.append("\nDETAIL: ").append(g.detail());
            }
            if (g.statement() != null) {
                sample.append("\nSTATEMENT: ").append(g.statement());
            }
            sample.append("\n-- ").append(g.instance());
            messages.keyedRow(g.message(), g.severity(), g.sqlstateClass(), g.message(), Numbers.count(g.count())
                    + (g.uncounted() > 0 ? " (at most " + Numbers.count(g.count() + g.uncounted()) + ")" : ""),
                    time(g.first()), time(g.last()), sample.toString());
        }
        table(m, "by-message", messages);
        m.close("section");
    }

    private void locks(Markup m, Locks l) {
        open(m, "locks", "Locks");
        new Totals().add("waits", "lock waits", Numbers.count(l.waits()))
                .add("acquired", "acquired after waiting", Numbers.count(l.acquired()))
                .add("deadlocks", "deadlocks", Numbers.count(l.deadlocks()))
                .add("max_wait_ms", "longest wait (ms)", Numbers.millis(l.maxWaitMs()))
                .add("busiest_hour", "busiest hour", busiest(l.hourly())).writeTo(m);
        chart(m, "Lock events per hour", "lock events", l.hourly());
        lockTable(m, "longest", "Longest waits", l.longest());
        lockTable(m, "deadlock-events", "Deadlocks", l.deadlockEvents());
        m.close("section");
    }

    private static void lockTable(Markup m, String id, String caption, List<Locks.LockEvent> events) {
        HtmlTable t = new HtmlTable(caption, Column.text("at"), Column.text("instance"), Column.number("pid"),
                Column.text("kind"), Column.number("wait ms"), Column.code("message"), Column.code("detail"),
                Column.code("statement"));
        for (Locks.LockEvent e : events) {
            t.row(time(e.at()), e.instance(), e.pid() == null ? "" : Long.toString(e.pid()), e.kind(),
                    e.waitMs() == null ? "" : Numbers.millis(e.waitMs()), e.message(), nonNull(e.detail()),
                    nonNull(e.statement()));
        }
        table(m, id, t);
    }

    private void tempFiles(Markup m, TempFiles f) {
        open(m, "temp-files", "Temporary files");
        new Totals().add("count", "files", Numbers.count(f.count()))
                .add("total_bytes", "total size (bytes)", Numbers.count(f.totalBytes()) + " (" + Sizes.bytes(
                        f.totalBytes()) + ")")
                .add("max_bytes", "largest (bytes)", Numbers.count(f.maxBytes()) + " (" + Sizes.bytes(f.maxBytes())
                        + ")")
                .add("busiest_hour", "busiest hour", busiest(f.hourly())).writeTo(m);
        folded(m, f.folded(), "statements");
        chart(m, "Temporary files per hour", "files", f.hourly());
        HtmlTable t = new HtmlTable("Statements that made them, by total size", Column.code("statement"),
                Column.number("files"), Column.number("total bytes"), Column.number("largest bytes"),
                Column.code("sample"));
        for (TempFiles.Statement s : f.byStatement()) {
            t.keyedRow(s.fingerprint(), s.text(), Numbers.count(s.count()), Numbers.count(s.totalBytes()),
                    Numbers.count(s.maxBytes()), nonNull(s.sample()));
        }
        table(m, "by-statement", t);
        m.close("section");
    }

    private void checkpoints(Markup m, Checkpoints c) {
        open(m, "checkpoints", "Checkpoints");
        new Totals().add("started", "started", Numbers.count(c.started()))
                .add("completed", "completed", Numbers.count(c.completed()))
                .add("buffers", "buffers written", Numbers.count(c.buffers()))
                .add("write_s", "write (s)", Numbers.seconds(c.writeS()))
                .add("sync_s", "sync (s)", Numbers.seconds(c.syncS()))
                .add("total_s", "total (s)", Numbers.seconds(c.totalS()))
                .add("busiest_hour", "busiest hour", busiest(c.hourly())).writeTo(m);
        chart(m, "Checkpoints completed per hour", "checkpoints", c.hourly());
        names(m, "by-cause", "Checkpoints started per cause", "cause", "started", c.byCause());
        if (c.worst() != null) {
            Checkpoints.Run w = c.worst();
            HtmlTable t = new HtmlTable("The longest", Column.text("at"), Column.text("instance"),
                    Column.number("buffers"), Column.number("write s"), Column.number("sync s"),
                    Column.number("total s"));
            t.row(time(w.at()), w.instance(), Numbers.count(w.buffers()), Numbers.seconds(w.writeS()),
                    Numbers.seconds(w.syncS()), Numbers.seconds(w.totalS()));
            table(m, "worst", t);
        }
        m.close("section");
    }

    private void vacuums(Markup m, Vacuums v) {
        open(m, "vacuums", "Vacuum and analyze");
        new Totals().add("vacuums", "autovacuums", Numbers.count(v.vacuums()))
                .add("analyzes", "autoanalyzes", Numbers.count(v.analyzes()))
                .add("busiest_hour", "busiest hour", busiest(v.hourly())).writeTo(m);
        folded(m, v.folded(), "tables");
        chart(m, "Autovacuum and autoanalyze runs per hour", "runs", v.hourly());
        HtmlTable t = new HtmlTable("Per table", Column.text("table"), Column.number("vacuums"),
                Column.number("analyzes"), Column.number("pages removed"), Column.number("tuples removed"),
                Column.number("elapsed s"), Column.number("longest s"));
        for (Vacuums.Table r : v.tables()) {
            t.keyedRow(r.relation(), r.relation(), Numbers.count(r.vacuums()), Numbers.count(r.analyzes()),
                    Numbers.count(r.pagesRemoved()), Numbers.count(r.tuplesRemoved()), Numbers.seconds(r.elapsedS()),
                    Numbers.seconds(r.maxElapsedS()));
        }
        table(m, "tables", t);
        m.close("section");
    }

    private void connections(Markup m, Connections c) {
        open(m, "connections", "Connections and sessions");
        new Totals().add("received", "connections received", Numbers.count(c.received()))
                .add("authorized", "authorized", Numbers.count(c.authorized()))
                .add("auth_failures", "authentication failures", Numbers.count(c.authFailures()))
                .add("refused", "refused (too many)", Numbers.count(c.refused()))
                .add("sessions", "sessions", Numbers.count(c.sessions()))
                .add("mean_session_ms", "mean session (ms)",
                        Numbers.millis(c.sessions() == 0 ? 0 : c.sessionMs() / c.sessions()))
                .add("max_session_ms", "longest session (ms)", Numbers.millis(c.maxSessionMs()))
                .add("busiest_hour", "busiest hour", busiest(c.hourly())).writeTo(m);
        chart(m, "Connections authorized per hour", "connections", c.hourly());
        m.open("div", "class", "cols");
        parties(m, "by-user", "Per user", "user", c.byUser());
        parties(m, "by-database", "Per database", "database", c.byDatabase());
        parties(m, "by-client", "Per client", "client", c.byClient());
        m.close("div");
        HtmlTable peaks = new HtmlTable("Peak minutes", Column.text("minute"), Column.number("connections"));
        for (Connections.Minute p : c.peaks()) {
            peaks.row(time(p.minute()), Numbers.count(p.connections()));
        }
        table(m, "peaks", peaks);
        m.close("section");
    }

    private static void parties(Markup m, String id, String caption, String what, List<Connections.Party> parties) {
        HtmlTable t = new HtmlTable(caption, Column.text(what), Column.number("connections"),
                Column.number("auth failures"), Column.number("sessions"), Column.number("mean session ms"),
                Column.number("longest session ms"));
        for (Connections.Party p : parties) {
            t.keyedRow(p.name(), p.name(), Numbers.count(p.connections()), Numbers.count(p.authFailures()),
                    Numbers.count(p.sessions()), Numbers.millis(p.meanSessionMs()), Numbers.millis(p.maxSessionMs()));
        }
        table(m, id, t);
    }

    /** What a count folded by Space-Saving may miss: shown beside it, not only in the JSON. */
    private static String bound(StatementGroup g) {
        if (!g.partial()) {
            return "";
        }
        return g.uncounted() > 0 ? " (at most " + Numbers.count(g.count() + g.uncounted()) + ")" : " (at least)";
    }

    private static void open(Markup m, String id, String heading) {
        m.open("section", "id", id).element("h2", heading);
    }

    private static void names(Markup m, String id, String caption, String what, String unit,
                              List<NameCount> counts) {
        HtmlTable t = new HtmlTable(caption, Column.text(what), Column.number(unit));
        for (NameCount c : counts) {
            t.keyedRow(c.name(), c.name(), Numbers.count(c.count()));
        }
        table(m, id, t);
    }

    private static void table(Markup m, String id, HtmlTable t) {
        if (t.isEmpty()) {
            return;
        }
        m.open("div", "class", "table", "id", id);
        t.writeTo(m);
        m.close("div");
    }

    private static void folded(Markup m, Folded f, String what) {
        if (f.any()) {
            m.element("p", "The table kept the " + Numbers.count(f.capacity()) + " " + what + " it saw most; "
                    + Numbers.count(f.groups()) + " others (" + Numbers.count(f.entries()) + " entries) were folded: "
                    + "they count in the totals. A group marked 'at least' joined its table after others were "
                    + "folded, so its figures may miss earlier runs; 'at most' bounds its true count. Each table "
                    + "guarantees its own ranking: by count keeps every group with more runs than all runs over the "
                    + "capacity, by total time every group with more time than all time over the capacity, by "
                    + "slowest run the slowest runs exactly.",
                    "class", "note warn");
        }
    }

    /** {@code hourly} over every hour of the report, the empty ones as zero, so all charts share one x axis. */
    private void chart(Markup m, String title, String unit, Hourly hourly) {
        if (hours.isEmpty()) {
            return;
        }
        boolean days = Duration.between(hours.get(0), hours.get(hours.size() - 1)).toHours() >= 24;
        List<SvgChart.Point> points = new ArrayList<>(hours.size());
        int i = 0;
        List<Hourly.Count> counts = hourly.hours();
        for (Instant h : hours) {
            long n = 0;
            while (i < counts.size() && counts.get(i).hour().isBefore(h)) {
                i++;
            }
            if (i < counts.size() && counts.get(i).hour().equals(h)) {
                n = counts.get(i).count();
            }
            points.add(new SvgChart.Point((days ? DAY_HOUR : HOUR).format(h), n));
        }
        String x = days ? "day and hour (UTC)" : "hour (UTC)";
        if (points.size() <= MAX_BARS) {
            SvgChart.bars(m, title, x, unit, points);
        } else {
            SvgChart.line(m, title, x, unit, points);
        }
    }

    /** Every hour from the overview's first to its last (the overview counts every entry, so it spans them all). */
    private static List<Instant> hoursOf(Hourly overview) {
        List<Instant> all = new ArrayList<>();
        if (overview.isEmpty()) {
            return all;
        }
        Instant last = overview.hours().get(overview.hours().size() - 1).hour();
        for (Instant h = overview.hours().get(0).hour(); !h.isAfter(last); h = h.plus(Duration.ofHours(1))) {
            all.add(h);
        }
        return all;
    }

    private static String busiest(Hourly h) {
        return h.busiest() == null ? "-" : time(h.busiest().hour()).substring(0, 13) + ":00 UTC ("
                + Numbers.count(h.busiest().count()) + ")";
    }

    private static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
