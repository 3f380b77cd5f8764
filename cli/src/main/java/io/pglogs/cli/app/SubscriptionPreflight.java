package io.pglogs.cli.app;

import io.pglogs.cli.config.Setting;
import io.pglogs.cli.logs.SubscriptionSlots;
import io.pglogs.cli.rds.CollectedDatabases;
import io.pglogs.cli.term.Printable;
import io.pglogs.cli.terraform.DeployedCollectors;
import java.util.ArrayList;
import java.util.List;

/**
 * What start checks in AWS before it plans anything: every log group it is to subscribe exists and has room for the
 * environment's filter. Terraform would otherwise find out group by group while applying, after the function and the
 * other groups' subscriptions were made, and leave the environment half-started.
 */
final class SubscriptionPreflight {
    /**
     * @param databases what start collects from: without the databases {@code auto} found whose group cannot take
     *                  the filter
     * @param leftOut   those, each with the reason, for a person
     * @param blocked   listed databases whose group cannot take the filter, each with the reason: start refuses
     */
    record Result(CollectedDatabases databases, List<String> leftOut, List<String> blocked) {
    }

    private final Session session;

    SubscriptionPreflight(Session session) {
        this.session = session;
    }

    /** Looks at each group (one DescribeSubscriptionFilters call each; throttling is retried, adaptively). */
    Result check(CollectedDatabases databases) {
        String filter = DeployedCollectors.filterName(session.env().name());
        List<String> blocked = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        List<String> leftOutGroups = new ArrayList<>();
        for (String group : databases.logGroups()) {
            SubscriptionSlots slots = SubscriptionSlots.of(session.aws().logs(), group);
            String why;
            if (!slots.exists()) {
                why = group + " does not exist: " + database(group) + " does not export its log yet (turn it on: "
                        + configureCommand(group) + ") or has not logged since";
            } else if (!slots.admits(filter)) {
                why = group + " is full: its " + SubscriptionSlots.LIMIT + " subscription filters are "
                        + Printable.line(slots.describe()) + ", and CloudWatch allows no more (a limit that cannot "
                        + "be raised)";
            } else {
                continue;
            }
            if (databases.foundByAuto(group)) {
                // One database auto found in another team's state must not block every start of the environment.
                leftOut.add(why);
                leftOutGroups.add(group);
            } else {
                blocked.add(why + ": remove one, or leave " + database(group) + " out of " + listSetting(group));
            }
        }
        return new Result(leftOutGroups.isEmpty() ? databases : databases.without(leftOutGroups), leftOut, blocked);
    }

    /** "instance orders-db" or "cluster reports", from /aws/rds/(instance|cluster)/ID/postgresql. */
    private static String database(String group) {
        String[] parts = group.split("/");
        return parts[3] + " " + parts[4];
    }

    private static String configureCommand(String group) {
        String[] parts = group.split("/");
        return "pglogs rds configure --" + parts[3] + " " + parts[4] + " --preset standard";
    }

    private String listSetting(String group) {
        return (group.startsWith("/aws/rds/cluster/") ? Setting.AURORA_CLUSTERS : Setting.RDS_INSTANCES)
                .key(session.env());
    }
}
