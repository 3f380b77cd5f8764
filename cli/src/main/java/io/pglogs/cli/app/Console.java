package io.pglogs.cli.app;

import io.pglogs.cli.term.Style;
import io.pglogs.cli.term.Terminal;
import java.io.PrintWriter;

/**
 * Where a use case that talks while it works (plans, progress, questions) talks: the command's own writers, its
 * colours, the person at the terminal, and the global -q / -v.
 *
 * @param terminal  who answers questions
 * @param tty       standard output is a terminal (progress lines, flushing as rows arrive)
 */
public record Console(PrintWriter out, PrintWriter err, Style style, Terminal terminal, boolean quiet,
                      boolean verbose, boolean tty) {
}
