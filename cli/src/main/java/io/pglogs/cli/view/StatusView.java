package io.pglogs.cli.view;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.pglogs.cli.status.StatusReport;
import io.pglogs.cli.term.Json;
import io.pglogs.cli.term.Style;
import java.io.PrintWriter;

/** An environment's status: {@link StatusText} for people, or the report plus its verdict for scripts. */
public final class StatusView {
    private final PrintWriter out;
    private final Style style;

    public StatusView(PrintWriter out, Style style) {
        this.out = out;
        this.style = style;
    }

    record JsonReport(@JsonUnwrapped StatusReport report, boolean healthy) {
    }

    public void print(StatusReport report, boolean json) {
        if (json) {
            out.println(Json.pretty(new JsonReport(report, report.healthy())));
        } else {
            new StatusText(style).print(report, out);
        }
        out.flush();
    }
}
