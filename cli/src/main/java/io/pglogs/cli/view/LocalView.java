package io.pglogs.cli.view;

import io.pglogs.cli.local.LocalPipeline;
import io.pglogs.cli.term.Json;
import io.pglogs.cli.term.Style;
import java.io.PrintWriter;

/** The local pipeline's parts and whether each runs, and what to do with it next. */
public final class LocalView {
    private final PrintWriter out;
    private final Style style;

    public LocalView(PrintWriter out, Style style) {
        this.out = out;
        this.style = style;
    }

    public void status(LocalPipeline.Status s, boolean json) {
        if (json) {
            out.println(Json.pretty(s));
            return;
        }
        out.println(String.format("%-22s %s", "AWS emulator (moto)", s.moto() ? style.ok(s.endpoint())
                : style.error("not running")));
        out.println(String.format("%-22s %s", "PostgreSQL 15", s.postgres() ? style.ok(s.postgresUrl())
                : style.error("not running")));
        out.println(String.format("%-22s %s", "delivery loop", s.delivery() ? style.ok("running") + ", "
                + s.delivered() + " entries delivered" + (s.lastDelivery() == null ? "" : ", last at "
                + s.lastDelivery()) : style.error("not running")));
    }

    /** After up: the status, and unless quiet the commands to try next. */
    public void started(LocalPipeline.Status s, boolean quiet) {
        status(s, false);
        if (!quiet) {
            out.println();
            out.println("Make some log entries:   psql " + s.postgresUrl() + " -c 'SELECT 1/0'");
            out.println("Read them back:          bin/pglogs query --local --since 10m");
            out.println("Follow them:             bin/pglogs tail --local -f");
            out.println("Stop everything:         bin/pglogs local down");
        }
    }
}
