package io.pglogs.cli.view;

import io.pglogs.cli.app.Fleet;
import io.pglogs.cli.rds.PostgresFleet;
import io.pglogs.cli.term.Printable;
import io.pglogs.cli.term.Style;
import java.io.PrintWriter;
import java.util.List;

/** The region's PostgreSQL databases as a table, then the commands that turn on the exports that are off. */
public final class InstancesView {
    private final PrintWriter out;
    private final Style style;

    public InstancesView(PrintWriter out, Style style) {
        this.out = out;
        this.style = style;
    }

    /** @param environment the environment asked about, or null */
    public void print(Fleet.Listing listing, String environment) {
        // RDS ids run to 63 characters: the column is as wide as the longest one here.
        int idWidth = Math.max(2, listing.entries().stream().mapToInt(e -> Printable.line(e.database().id()).length())
                .max().orElse(0));
        String row = "%-8s %-" + idWidth + "s %-18s %-7s %-16s %-14s %-5s%s";
        out.println(style.header(String.format(row, "kind", "id", "engine",
                "export", "log group", "subscribed", "free", environment == null ? "" : " " + environment
                        + " collects")));
        for (Fleet.Entry e : listing.entries()) {
            PostgresFleet.Database db = e.database();
            String logGroup = !e.logGroupExists() ? "missing" : e.retentionDays() == null ? "never expires"
                    : e.retentionDays() + " days";
            String subscribed = !e.logGroupExists() ? "-" : e.subscribers().isEmpty() ? "no"
                    : Printable.line(String.join(",", e.subscribers()));
            String collects = e.collected() == null ? "" : " " + (e.collected() ? "yes" : "no");
            // Subscription filters the group can still take: CloudWatch allows two, and pglogs needs one.
            String free = !e.logGroupExists() ? "-" : Integer.toString(e.freeSlots());
            out.println(String.format(row, db.kind(), Printable.line(db.id()), db.engine() + " " + db.engineVersion(),
                    db.exportsLog() ? "on" : "off", logGroup, subscribed, e.freeSlots() == 0 && e.logGroupExists()
                            ? style.warn(String.format("%-5s", free)) : free, collects));
        }
        if (listing.entries().isEmpty()) {
            out.println(style.dim("no PostgreSQL instance or cluster in " + listing.region()));
        }
        List<PostgresFleet.Database> withoutExport = listing.withoutExport();
        if (!withoutExport.isEmpty()) {
            out.println();
            out.println(style.warn("The PostgreSQL log export is off for " + withoutExport.size()
                    + " of them; nothing reaches CloudWatch until it is on:"));
            withoutExport.forEach(db -> out.println("  " + Printable.line(db.configureCommand())));
        }
    }
}
