package io.pglogs.cli.app;

import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Setting;
import io.pglogs.cli.config.SummariesSetting;
import io.pglogs.cli.error.BadSettingException;
import io.pglogs.cli.error.FailureException;
import io.pglogs.cli.error.PreconditionException;
import io.pglogs.cli.rds.CollectedDatabases;
import io.pglogs.cli.table.DeployedTable;
import io.pglogs.cli.terraform.TerraformSteps;
import io.pglogs.forwarder.dynamo.StorageFormat;
import io.pglogs.forwarder.parse.Redaction;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

/**
 * What start makes sure of before and while it plans: the table keeps its storage format, every log group it is to
 * subscribe can take the filter, no plan loses a table, and removals of what the collectors reach are consented to.
 */
final class StartChecks {
    /**
     * @param databases             what to collect from
     * @param refusedAfterThePlans  groups a plan-only start could not subscribe: it shows the plans, then refuses
     */
    record Collecting(CollectedDatabases databases, int refusedAfterThePlans) {
    }

    private final Session session;
    private final Console console;

    StartChecks(Session session, Console console) {
        this.session = session;
        this.console = console;
    }

    /**
     * The databases to collect from, each log group checked (see {@link SubscriptionPreflight}) and the list printed
     * unless quiet; an empty list is refused, since it would plan the removal of every subscription.
     */
    Collecting databases(boolean planOnly) {
        Environment env = session.env();
        SubscriptionPreflight.Result preflight = new SubscriptionPreflight(session).check(session.databases());
        CollectedDatabases databases = preflight.databases();
        if (databases.isEmpty() && preflight.leftOut().isEmpty()) {
            throw new BadSettingException("no instances to collect from: " + (databases.auto()
                    ? "no PostgreSQL instance or cluster of the region matched with its log export on"
                    : "set " + Setting.RDS_INSTANCES.key(env) + " or " + Setting.AURORA_CLUSTERS.key(env)
                    + " (or " + Setting.RDS_INSTANCES.variable(env) + "), or auto")
                    + "; to stop collecting use 'pglogs stop " + env + "'");
        }
        printDatabases(databases, preflight.leftOut());
        if (databases.isEmpty()) {
            throw new PreconditionException("auto found " + preflight.leftOut().size() + " database(s) to collect "
                    + "from, but none has a log group that can take the " + env + " forwarder's filter yet (listed "
                    + "above): nothing was changed");
        }
        return new Collecting(databases, refuseBlocked(preflight.blocked(), planOnly));
    }

    /**
     * What start checks in each plan before it is approved: it never loses a table, and what it removes of the
     * collectors' reach (subscriptions, the function) is listed and needs its own consent: --yes is not enough.
     */
    TerraformSteps.Review review(TerraformSteps.Approval removals) {
        return (root, plan, planOnly) -> {
            plan.refuseToLoseATable();
            List<String> removed = plan.collectorRemovals();
            if (removed.isEmpty()) {
                return;
            }
            PrintWriter out = console.out();
            out.println(console.style().warn("    this plan stops collecting from where it collects now:"));
            removed.forEach(r -> out.println(console.style().warn("      " + r)));
            String where = root.getParent().getFileName() + "/" + root.getFileName();
            if (!planOnly && !removals.approve("Apply " + removed.size() + " removal(s) in " + where + "?")) {
                throw new PreconditionException("not confirmed: nothing was changed in " + root);
            }
        };
    }

    /**
     * The redaction level the table is to publish (the collectors and the CLI's writers follow its tag):
     * {@code <env>.redact} when set, so a level is changed by setting it; else the existing table's own, so a
     * colleague's or CI runner's start whose settings leave it out does not undo it; else, for a new table the
     * environment moves to, the old table's, so a move never weakens redaction; else the root's default.
     *
     * @param movedFrom the table the environment moves away from, if this start moves it
     */
    Redaction redaction(Optional<DeployedTable> movedFrom) {
        Optional<Redaction> wanted = session.requestedRedaction();
        if (wanted.isPresent()) {
            return wanted.get();
        }
        try {
            return session.table().or(() -> movedFrom).map(t -> t.tags().redaction()).orElse(null);
        } catch (IllegalArgumentException e) {
            throw new FailureException("table " + session.tableName() + " has a " + "redact tag pglogs cannot read: "
                    + e.getMessage());
        }
    }

    /**
     * Whether the table's writers are to store summary items: {@code <env>.summaries} when set, so it is switched by
     * setting it (a tag change, in place: the table stays); else the existing table's own tag, so a colleague's or CI
     * runner's start whose settings leave it out does not switch it back; else (a new table, or one tagged before the
     * switch existed) null: the root's default, auto, which decides by the storage format. A table the environment
     * moves to does not inherit the old one's: a move usually changes the format, which auto follows.
     */
    SummariesSetting.Choice summaries() {
        Optional<SummariesSetting.Choice> wanted = session.requestedSummaries();
        if (wanted.isPresent()) {
            return wanted.get();
        }
        try {
            return session.table().map(t -> t.tags().summaries()).map(SummariesSetting.Choice::of).orElse(null);
        } catch (IllegalArgumentException e) {
            throw new FailureException("table " + session.tableName() + " has a summaries tag pglogs cannot read: "
                    + e.getMessage());
        }
    }

    /**
     * The storage format the table is to have. A table's format is chosen when it is made: readers follow its tag and
     * would miss what was written in the other format. So an existing table keeps its own (its tag; none: entries),
     * whoever runs start and whatever their settings leave out; a setting that asks for the other one is refused.
     * A new table gets the setting's, else entries.
     */
    StorageFormat storage() {
        Optional<StorageFormat> wanted = session.requestedStorage();
        Optional<DeployedTable> table = session.table();
        if (table.isEmpty()) {
            return wanted.orElse(StorageFormat.ENTRIES);
        }
        StorageFormat has = session.layout().format();
        Environment env = session.env();
        if (wanted.isPresent() && has != wanted.get()) {
            throw new PreconditionException("table " + session.tableName() + " stores its entries as " + has.label()
                    + " but " + Setting.STORAGE.key(env) + " = " + wanted.get().label() + ": a table's storage format "
                    + "is chosen when it is created (readers follow its tag and would miss what was written in the "
                    + "other). Keep " + Setting.STORAGE.key(env) + " = " + has.label() + " (or unset it), or name a "
                    + "new table (" + Setting.TABLE.key(env) + ") for " + wanted.get().label()
                    + "; nothing was changed");
        }
        return has;
    }

    /**
     * Groups listed by id that cannot be subscribed: named on stderr, then start refuses before it plans anything; a
     * plan-only run shows its plans first and then refuses the same way, so a CI plan step fails as the start would.
     *
     * @return how many groups the plan-only run refuses once its plans are shown
     */
    private int refuseBlocked(List<String> blocked, boolean planOnly) {
        if (blocked.isEmpty()) {
            return 0;
        }
        for (String b : blocked) {
            console.err().println(console.style().error("pglogs: cannot subscribe " + b));
        }
        console.err().flush();
        if (!planOnly) {
            throw new PreconditionException(blocked.size() + " configured log group(s) cannot be subscribed to the "
                    + session.env() + " forwarder (listed above): nothing was changed");
        }
        return blocked.size();
    }

    /** What this start collects from; with auto, what it found and what it had to leave out. */
    private void printDatabases(CollectedDatabases databases, List<String> leftOut) {
        if (console.quiet()) {
            return;
        }
        Environment env = session.env();
        PrintWriter out = console.out();
        String how = databases.auto() ? " (found in AWS: " + Setting.RDS_INSTANCES.key(env) + " or "
                + Setting.AURORA_CLUSTERS.key(env) + " is auto)" : "";
        out.println(console.style().header("==> " + env + " collects from " + databases.instances().size()
                + " instance(s) and " + databases.clusters().size() + " cluster(s)" + how));
        if (!databases.instances().isEmpty()) {
            out.println("    instances: " + String.join(", ", databases.instances()));
        }
        if (!databases.clusters().isEmpty()) {
            out.println("    clusters: " + String.join(", ", databases.clusters()));
        }
        for (var db : databases.withoutExport()) {
            out.println(console.style().warn("    left out, its PostgreSQL log export is off: " + db.kind() + " "
                    + db.id() + " (turn it on: " + db.configureCommand() + ")"));
        }
        for (String why : leftOut) {
            out.println(console.style().warn("    left out, its log group cannot be subscribed: " + why));
        }
    }
}
