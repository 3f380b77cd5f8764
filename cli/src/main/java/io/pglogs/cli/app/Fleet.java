package io.pglogs.cli.app;

import io.pglogs.cli.logs.LogGroups;
import io.pglogs.cli.logs.SubscriptionSlots;
import io.pglogs.cli.rds.CollectedDatabases;
import io.pglogs.cli.rds.PostgresFleet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;

/** The region's PostgreSQL databases: export, log group, who subscribes to it, and whether an environment collects. */
public final class Fleet {
    /**
     * One database and its log group.
     *
     * @param retentionDays null: never expires (when the group exists)
     * @param subscribers   the environments whose collector subscribes the group, or "other: NAME" for another
     *                      filter; empty when none
     * @param freeSlots     subscription filters the group can still take (CloudWatch allows two)
     * @param collected     whether the environment asked about collects from it; null when none was asked about
     */
    public record Entry(PostgresFleet.Database database, boolean logGroupExists, Integer retentionDays,
                        List<String> subscribers, int freeSlots, Boolean collected) {
    }

    public record Listing(String region, List<Entry> entries) {
        public List<PostgresFleet.Database> withoutExport() {
            return entries.stream().map(Entry::database).filter(db -> !db.exportsLog()).toList();
        }
    }

    private final Session session;

    private Fleet(Session session) {
        this.session = session;
    }

    public static Fleet of(Session session) {
        return new Fleet(session);
    }

    /** @param withEnvironment also say whether the session's environment collects from each */
    public Listing list(boolean withEnvironment) {
        List<PostgresFleet.Database> databases = PostgresFleet.list(session.aws().rds());
        Map<String, LogGroup> groups = new HashMap<>();
        LogGroups.postgres(session.aws().logs()).forEach(g -> groups.put(g.logGroupName(), g));
        CollectedDatabases collected = withEnvironment ? session.databases() : null;
        List<Entry> entries = new ArrayList<>();
        for (PostgresFleet.Database db : databases) {
            LogGroup group = groups.get(db.logGroup());
            Boolean collects = collected == null ? null
                    : (db.cluster() ? collected.clusters() : collected.instances()).contains(db.id());
            SubscriptionSlots slots = group == null ? null : SubscriptionSlots.of(session.aws().logs(), db.logGroup());
            entries.add(new Entry(db, group != null, group == null ? null : group.retentionInDays(),
                    slots == null ? List.of() : subscribers(slots), slots == null ? 0 : slots.free(), collects));
        }
        return new Listing(session.aws().region().toString(), entries);
    }

    /** The environments whose collector subscribes the group (pglogs' filters), or what else does. */
    private static List<String> subscribers(SubscriptionSlots slots) {
        return slots.filters().stream().map(f -> f.name().startsWith("pglogs-")
                ? f.name().substring("pglogs-".length()) : "other: " + f.name()).toList();
    }
}
