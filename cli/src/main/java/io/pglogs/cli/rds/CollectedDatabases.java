package io.pglogs.cli.rds;

import io.pglogs.cli.error.BadSettingException;
import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Setting;
import io.pglogs.cli.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.rds.RdsClient;

/**
 * The instances and clusters an environment collects from: the ids its settings list, or with {@code auto} every
 * PostgreSQL instance (or cluster) of the region whose PostgreSQL log export is on, optionally only those whose id
 * matches {@code <env>.rds_auto_name} (a glob) and that carry the tag {@code <env>.rds_auto_tag} (KEY=VALUE).
 *
 * @param withoutExport databases {@code auto} would take but for their export being off
 */
public record CollectedDatabases(List<String> instances, List<String> clusters, boolean autoInstances,
                                 boolean autoClusters, List<PostgresFleet.Database> withoutExport) {
    public static final String AUTO = "auto";

    /** @param rds called only when a list is {@code auto} */
    public static CollectedDatabases resolve(Settings settings, Environment env, Supplier<RdsClient> rds) {
        Settings.Value instances = settings.get(Setting.RDS_INSTANCES, env);
        Settings.Value clusters = settings.get(Setting.AURORA_CLUSTERS, env);
        boolean autoInstances = isAuto(instances);
        boolean autoClusters = isAuto(clusters);
        Pattern name = glob(settings.get(Setting.RDS_AUTO_NAME, env));
        String[] tag = tag(settings.get(Setting.RDS_AUTO_TAG, env));
        if (!autoInstances && !autoClusters) {
            for (Settings.Value filter : List.of(settings.get(Setting.RDS_AUTO_NAME, env),
                    settings.get(Setting.RDS_AUTO_TAG, env))) {
                if (filter.isSet()) {
                    throw new BadSettingException(filter.key() + " (" + filter.source() + ") filters what auto finds, "
                            + "but neither " + instances.key() + " nor " + clusters.key() + " is auto");
                }
            }
            return new CollectedDatabases(Settings.list(instances), Settings.list(clusters), false, false, List.of());
        }
        List<String> foundInstances = autoInstances ? new ArrayList<>() : new ArrayList<>(Settings.list(instances));
        List<String> foundClusters = autoClusters ? new ArrayList<>() : new ArrayList<>(Settings.list(clusters));
        List<PostgresFleet.Database> withoutExport = new ArrayList<>();
        for (PostgresFleet.Database db : PostgresFleet.list(rds.get())) {
            if (!(db.cluster() ? autoClusters : autoInstances)) {
                continue;
            }
            if ((name != null && !name.matcher(db.id()).matches())
                    || (tag != null && !tag[1].equals(db.tags().get(tag[0])))) {
                continue;
            }
            if (!db.exportsLog()) {
                withoutExport.add(db);
            } else {
                (db.cluster() ? foundClusters : foundInstances).add(db.id());
            }
        }
        return new CollectedDatabases(foundInstances, foundClusters, autoInstances, autoClusters, withoutExport);
    }

    /** Whether either list is {@code auto} (found in AWS rather than listed). */
    public boolean auto() {
        return autoInstances || autoClusters;
    }

    /** Whether the database of this PostgreSQL log group was found by {@code auto} rather than listed by id. */
    public boolean foundByAuto(String logGroup) {
        return logGroup.startsWith("/aws/rds/cluster/") ? autoClusters : autoInstances;
    }

    public boolean isEmpty() {
        return instances.isEmpty() && clusters.isEmpty();
    }

    /** These and the databases of {@code logGroups} (PostgreSQL log groups), each once. */
    public CollectedDatabases withLogGroups(List<String> logGroups) {
        List<String> allInstances = new ArrayList<>(instances);
        List<String> allClusters = new ArrayList<>(clusters);
        for (String group : logGroups) {
            String[] parts = group.split("/"); // "", aws, rds, instance|cluster, id, postgresql
            List<String> ids = parts[3].equals("cluster") ? allClusters : allInstances;
            if (!ids.contains(parts[4])) {
                ids.add(parts[4]);
            }
        }
        return new CollectedDatabases(allInstances, allClusters, autoInstances, autoClusters, withoutExport);
    }

    /** These without the databases of {@code logGroups} (PostgreSQL log groups). */
    public CollectedDatabases without(List<String> logGroups) {
        List<String> keptInstances = new ArrayList<>(instances);
        List<String> keptClusters = new ArrayList<>(clusters);
        for (String group : logGroups) {
            String[] parts = group.split("/"); // "", aws, rds, instance|cluster, id, postgresql
            (parts[3].equals("cluster") ? keptClusters : keptInstances).remove(parts[4]);
        }
        return new CollectedDatabases(keptInstances, keptClusters, autoInstances, autoClusters, withoutExport);
    }

    /** Their PostgreSQL log groups. */
    public List<String> logGroups() {
        List<String> out = new ArrayList<>();
        instances.forEach(i -> out.add("/aws/rds/instance/" + i + "/postgresql"));
        clusters.forEach(c -> out.add("/aws/rds/cluster/" + c + "/postgresql"));
        return out;
    }

    private static boolean isAuto(Settings.Value v) {
        List<String> ids = Settings.list(v);
        if (ids.stream().anyMatch(AUTO::equalsIgnoreCase) && ids.size() > 1) {
            throw new BadSettingException(v.key() + " '" + v.value() + "' (" + v.source() + ") mixes auto with ids: "
                    + "use either");
        }
        return ids.size() == 1 && ids.get(0).equalsIgnoreCase(AUTO);
    }

    private static Pattern glob(Settings.Value v) {
        if (!v.isSet()) {
            return null;
        }
        StringBuilder regex = new StringBuilder();
        for (char c : v.value().toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString());
    }

    private static String[] tag(Settings.Value v) {
        if (!v.isSet()) {
            return null;
        }
        int eq = v.value().indexOf('=');
        if (eq <= 0) {
            throw new BadSettingException(v.key() + " '" + v.value() + "' (" + v.source() + ") must be KEY=VALUE");
        }
        return new String[] {v.value().substring(0, eq), v.value().substring(eq + 1)};
    }
}
