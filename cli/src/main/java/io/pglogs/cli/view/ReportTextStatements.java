package io.pglogs.cli.view;

import io.pglogs.cli.term.Style;
import io.pglogs.report.StatementGroup;
import io.pglogs.report.Statements;
import java.io.PrintWriter;
import java.util.List;

/** The Statements section of the text report: three top-N tables of the same groups. */
final class ReportTextStatements {
    private static final String INDENT = "  ";
    private final PrintWriter out;
    private final Style style;
    private final int width;

    ReportTextStatements(PrintWriter out, Style style, int width) {
        this.out = out;
        this.style = style;
        this.width = width;
    }

    void print(Statements s) {
        if (s.isEmpty()) {
            return;
        }
        String parts = s.logged() + s.autoExplain() + s.withoutText() + s.parseBind() == 0 ? ""
                : " (" + Amounts.count(s.logged()) + " logged without a duration, " + Amounts.count(s.autoExplain())
                + " auto_explain plans, " + Amounts.count(s.withoutText()) + " durations without text; "
                + Amounts.count(s.parseBind()) + " parse/bind steps apart, " + Amounts.ms(s.parseBindMs()) + ")";
        ReportTextView.heading(out, style, width, "Statements", Amounts.count(s.count()) + " runs, "
                + Amounts.ms(s.totalMs()) + " in all" + parts, s.hourly());
        table("by total time", s.byTotal());
        table("by slowest run", s.bySlowest());
        table("by count", s.byCount());
        ReportTextView.folded(out, style, width, s.folded(), "statements");
        if (s.folded().any()) {
            ReportTextView.prose(out, width, ">=: joined its table after others were folded, its figures may miss "
                    + "earlier runs; by total time keeps every statement above the window's time over the capacity, "
                    + "by slowest run the slowest runs exactly");
        }
        if (!s.bySlowest().isEmpty()) {
            StatementGroup slowest = s.bySlowest().get(0);
            out.println(style.dim(TextTable.fit(io.pglogs.cli.term.Printable.line(INDENT + "slowest run, "
                    + Times.second(slowest.sampleAt()) + " on " + slowest.instance() + ", "
                    + Amounts.ms(slowest.maxMs()) + ":"), width)));
            out.println(INDENT + INDENT + TextTable.fit(io.pglogs.cli.term.Printable.line(slowest.sample()),
                    width - 4));
        }
    }

    /** A count that may miss folded runs is a lower bound: marked so here, its bound in the JSON. */
    private static String bound(StatementGroup g) {
        return g.partial() ? ">=" : "";
    }

    private void table(String title, List<StatementGroup> groups) {
        if (groups.isEmpty()) {
            return;
        }
        out.println(INDENT + style.dim(title));
        TextTable t = new TextTable("count>", "total>", "~mean>", "~p50>", "~p95>", "max>", "~users",
                "statement");
        for (StatementGroup g : groups) {
            boolean timed = g.timed() > 0;
            t.row(bound(g) + Amounts.count(g.count()), timed ? Amounts.ms(g.totalMs()) : "-", timed ? Amounts.ms(g.meanMs()) : "-",
                    timed ? Amounts.ms(g.p50Ms()) : "-", timed ? Amounts.ms(g.p95Ms()) : "-",
                    timed ? Amounts.ms(g.maxMs()) : "-", TextTable.fit(String.join(",", g.users()), 16),
                    g.text());
        }
        t.print(out, style, width, INDENT);
        out.println();
    }
}
