package io.pglogs.cli.view;

import io.pglogs.cli.app.Queries;
import io.pglogs.cli.app.UnknownInstance;
import io.pglogs.cli.term.Printable;
import io.pglogs.cli.term.Style;
import io.pglogs.forwarder.dynamo.LogRow;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Entries as query prints them, in any of the four formats, then what it cost (-v) or that there were none. */
public final class QueryView implements Queries.Sink {
    private final RowWriter writer;
    private final RowWriter.Format format;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean tty;

    /** @param tty standard output is a terminal: each row is flushed as it arrives */
    public QueryView(RowWriter.Format format, PrintWriter out, PrintWriter err, Style style, boolean tty) {
        this.writer = RowWriter.of(format, out, style);
        this.format = format;
        this.out = out;
        this.err = err;
        this.tty = tty;
    }

    @Override
    public void start() {
        writer.start();
    }

    @Override
    public void row(LogRow row) {
        writer.row(row);
        if (tty) {
            out.flush();
        }
    }

    /**
     * @param verbose  say what DynamoDB read
     * @param quiet    say nothing when there were no entries
     */
    public void end(Queries.Result result, Instant from, Instant to, boolean verbose, boolean quiet) {
        writer.end();
        if (verbose) {
            err.printf("pglogs: %d entries from %d instance(s); DynamoDB read %d, returned %d, in %d queries, %d ms%n",
                    result.entries(), result.instances(), result.stats().scanned(), result.stats().returned(),
                    result.stats().queries(), result.millis());
        }
        // An error in every format: a name the table has never seen is a mistake to fix, not a quiet hour.
        for (UnknownInstance u : result.unknown()) {
            err.println("pglogs: no instance " + Printable.line(u.name()) + " in the table: it has no entries of it in "
                    + "the days it keeps them; " + (u.closest().isEmpty() ? "it has no entries of any instance yet"
                    : "closest known: " + Printable.line(String.join(", ", u.closest()))));
        }
        if (result.entries() == 0 && result.unknown().isEmpty() && format == RowWriter.Format.text && !quiet) {
            // Whole seconds: a window of "1h" ends at a now with nanoseconds nobody needs to read.
            err.println("pglogs: no entries between " + from.truncatedTo(ChronoUnit.SECONDS) + " and "
                    + to.truncatedTo(ChronoUnit.SECONDS));
        }
    }
}
