package io.pglogs.cli.view;

import io.pglogs.cli.app.Reports;
import io.pglogs.cli.app.UnknownInstance;
import io.pglogs.cli.term.Printable;
import io.pglogs.cli.term.Style;
import io.pglogs.report.Report;
import java.io.PrintWriter;

/**
 * A report in one format ({@link ReportTextView}, {@link ReportJsonView}, {@link ReportHtmlView}), then what reading cost (-v) and the named
 * instances the table has never seen, on stderr, the same in every format.
 */
public abstract class ReportView {
    protected final PrintWriter out;
    protected final PrintWriter err;

    protected ReportView(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    /** @param format text, json or html (as --output names them) */
    public static ReportView of(String format, PrintWriter out, PrintWriter err, Style style, int width) {
        return switch (format) {
            case "text" -> new ReportTextView(out, err, style, width);
            case "json" -> new ReportJsonView(out, err);
            case "html" -> new ReportHtmlView(out, err);
            default -> throw new IllegalArgumentException("no report view writes " + format);
        };
    }

    /** Writes the report to standard output. */
    protected abstract void render(Reports.Result result, boolean quiet);

    public final void print(Reports.Result result, boolean verbose, boolean quiet) {
        render(result, quiet);
        out.flush();
        if (verbose) {
            err.printf("pglogs: %d entries from %d instance(s); DynamoDB read %d items, returned %d, in %d queries, "
                            + "%d ms%n", result.report().overview().entries(), result.instances(),
                    result.read().stats().scanned(), result.read().stats().returned(), result.read().stats().queries(),
                    result.read().millis());
            if (result.report().overview().sources() != null) {
                err.println("pglogs: counted from " + SourcesText.of(result.report().overview().sources()));
            }
        }
        UnknownInstance c = result.unknownCluster();
        if (c != null) {
            err.println("pglogs: no cluster " + Printable.line(c.name()) + " in the table: no instance of it has "
                    + "entries in the days it keeps them; " + (c.closest().isEmpty() ? "it knows no cluster yet"
                    : "closest known: " + Printable.line(String.join(", ", c.closest()))));
        }
        for (UnknownInstance u : result.read().unknown()) {
            err.println("pglogs: no instance " + Printable.line(u.name()) + " in the table: it has no entries of it in "
                    + "the days it keeps them; " + (u.closest().isEmpty() ? "it has no entries of any instance yet"
                    : "closest known: " + Printable.line(String.join(", ", u.closest()))));
        }
    }

    /** The sentence a report over an empty window is. */
    protected static String nothing(Report report) {
        return "No entries between " + Times.second(report.overview().from()) + " and "
                + Times.second(report.overview().until()) + ".";
    }
}
