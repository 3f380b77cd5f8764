package io.pglogs.cli.view;

import io.pglogs.cli.app.Fleet;
import io.pglogs.cli.rds.PostgresFleet;
import io.pglogs.cli.term.Json;
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

    /**
     * One database for scripts: its log group by name, retention null when it never expires (or the group is
     * missing), collects null when no environment was asked about.
     */
    record DatabaseJson(String kind, String id, String engine, String engineVersion, boolean exportsLog,
                        String logGroup, boolean logGroupExists, Integer retentionDays, List<String> subscribers,
                        Integer freeSlots, Boolean collects, String configureCommand) {
    }

    record ListingJson(String region, String environment, List<DatabaseJson> databases) {
    }

    /** @param environment the environment asked about, or null */
    public void print(Fleet.Listing listing, String environment, boolean json) {
        if (json) {
            out.println(Json.pretty(new ListingJson(listing.region(), environment, listing.entries().stream()
                    .map(e -> new DatabaseJson(e.database().kind(), e.database().id(), e.database().engine(),
                            e.database().engineVersion(), e.database().exportsLog(), e.database().logGroup(),
                            e.logGroupExists(), e.logGroupExists() ? e.retentionDays() : null, e.subscribers(),
                            e.logGroupExists() ? e.freeSlots() : null, e.collected(),
                            e.database().exportsLog() ? null : e.database().configureCommand()))
                    .toList())));
            return;
        }
        // RDS ids run to 63 characters: the column is as wide as the longest one here.
        int idWidth = Math.max(2, listing.entries().stream().mapToInt(e -> Printable.line(e.database().id()).length())
                .max().orElse(0));
        // "aurora-postgresql 15.4" is wider than "postgres 15.4": so is the column when an Aurora cluster is listed.
        int engineWidth = Math.max(18, listing.entries().stream().mapToInt(e -> engine(e.database()).length())
                .max().orElse(0));
        String row = "%-8s %-" + idWidth + "s %-" + engineWidth + "s %-7s %-16s %-14s %-5s%s";
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
            out.println(String.format(row, db.kind(), Printable.line(db.id()), engine(db),
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

    private static String engine(PostgresFleet.Database db) {
        return Printable.line(db.engine() + " " + db.engineVersion());
    }
}
