package io.pglogs.cli.app;

import io.pglogs.cli.config.Setting;
import io.pglogs.cli.error.PreconditionException;
import io.pglogs.cli.logs.SubscriptionSlots;
import io.pglogs.cli.rds.CollectedDatabases;
import io.pglogs.cli.terraform.DeployedCollectors;
import java.util.ArrayList;
import java.util.List;

/**
 * What start checks in AWS before it plans anything: every log group it is to subscribe exists and has room for the
 * environment's filter. Terraform would otherwise find out group by group while applying, after the function and the
 * other groups' subscriptions were made, and leave the environment half-started.
 */
final class SubscriptionPreflight {
    private final Session session;
    private final Console console;

    SubscriptionPreflight(Session session, Console console) {
        this.session = session;
        this.console = console;
    }

    /**
     * @param planOnly only a plan is shown: what blocks a start is told, not refused
     * @return the databases to collect from: with auto, those whose log group does not exist yet are left out (told)
     * @throws PreconditionException (exit 3, nothing changed) when a group is missing or full
     */
    CollectedDatabases check(CollectedDatabases databases, boolean planOnly) {
        String filter = DeployedCollectors.filterName(session.env().name());
        List<String> blocked = new ArrayList<>();
        List<String> notYet = new ArrayList<>();
        for (String group : databases.logGroups()) {
            SubscriptionSlots slots = SubscriptionSlots.of(session.aws().logs(), group);
            if (!slots.exists()) {
                if (databases.auto()) {
                    notYet.add(group);
                } else {
                    blocked.add(group + " does not exist: " + database(group) + " does not export its log yet (turn "
                            + "it on: " + configureCommand(group) + ") or has not logged since; start again once "
                            + "the group exists, or leave it out of " + listSetting(group));
                }
            } else if (!slots.admits(filter)) {
                blocked.add(group + " is full: its " + SubscriptionSlots.LIMIT + " subscription filters are "
                        + slots.describe() + "; CloudWatch allows " + SubscriptionSlots.LIMIT
                        + " per log group and the limit cannot be raised: remove one, or leave " + database(group)
                        + " out of " + listSetting(group));
            }
        }
        for (String group : notYet) {
            console.err().println(console.style().warn("pglogs: left out, its log group does not exist yet (no log "
                    + "since its export was turned on): " + group));
        }
        if (!blocked.isEmpty()) {
            for (String b : blocked) {
                console.err().println(console.style().error("pglogs: cannot subscribe " + b));
            }
            console.err().flush();
            if (!planOnly) {
                throw new PreconditionException(blocked.size() + " configured log group(s) cannot be subscribed to "
                        + "the " + session.env() + " forwarder (listed above): nothing was changed");
            }
        }
        return notYet.isEmpty() ? databases : databases.without(notYet);
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
