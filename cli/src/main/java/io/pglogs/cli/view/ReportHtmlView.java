package io.pglogs.cli.view;

import io.pglogs.cli.app.Reports;
import io.pglogs.report.NameCount;
import io.pglogs.report.Report;
import java.io.PrintWriter;
import java.util.List;

/**
 * {@code pglogs report -o html}: the report as one self-contained HTML page ({@link ReportHtmlPage}), on standard
 * output, meant for a file ({@code > report.html}) to open offline or attach to a ticket.
 */
public final class ReportHtmlView extends ReportView {
    ReportHtmlView(PrintWriter out, PrintWriter err) {
        super(out, err);
    }

    /** The page, also for a window that held nothing (a file that says so beats an empty one). */
    @Override
    protected void render(Reports.Result result, boolean quiet) {
        out.print(page(result.report(), title(result.report())));
    }

    /** "pglogs report: orders-db, reports-1" (the first few instances). */
    static String title(Report report) {
        List<String> names = report.overview().instances().stream().map(NameCount::name).toList();
        String title = "pglogs report";
        if (!names.isEmpty()) {
            title += ": " + String.join(", ", names.subList(0, Math.min(3, names.size())))
                    + (names.size() > 3 ? " and " + (names.size() - 3) + " more" : "");
        }
        return title;
    }

    /** The whole page for {@code report}, headed {@code title}. */
    static String page(Report report, String title) {
        return new ReportHtmlPage(report).page(title);
    }
}
