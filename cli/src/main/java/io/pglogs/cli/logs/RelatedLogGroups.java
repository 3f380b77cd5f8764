package io.pglogs.cli.logs;

import io.pglogs.cli.CliContext;
import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Setting;
import io.pglogs.cli.config.Settings;
import io.pglogs.forwarder.cloudwatch.LogSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;

/**
 * The groups retention manages. Region-wide: every PostgreSQL group of the region. Configured: only the groups of an
 * environment's instances and clusters; other teams' databases in the same region are not pglogs' business. Both add
 * the forwarder's group of each environment, which pglogs owns.
 */
public final class RelatedLogGroups {
    private RelatedLogGroups() {
    }

    /** @param missing receives the names of forwarder groups that do not exist (collectors not started) */
    public static List<LogGroup> find(CliContext ctx, CloudWatchLogsClient logs, List<String> missing) {
        List<LogGroup> groups = new ArrayList<>(LogGroups.postgres(logs));
        addForwarderGroups(ctx, logs, groups, missing);
        return groups;
    }

    /**
     * The groups of the instances and clusters configured for {@code env}, and the forwarder groups.
     *
     * @param missing receives the names of those that do not exist
     */
    public static List<LogGroup> configured(CliContext ctx, CloudWatchLogsClient logs, Environment env,
                                            List<String> missing) {
        List<LogGroup> groups = new ArrayList<>();
        for (String name : configuredNames(ctx, env)) {
            LogGroups.named(logs, name).ifPresentOrElse(groups::add, () -> missing.add(name));
        }
        addForwarderGroups(ctx, logs, groups, missing);
        return groups;
    }

    /** The PostgreSQL groups of the instances and clusters the configuration lists for {@code env}. */
    public static Set<String> configuredNames(CliContext ctx, Environment env) {
        Set<String> names = new LinkedHashSet<>();
        Settings.list(ctx.settings().get(Setting.RDS_INSTANCES, env))
                .forEach(i -> names.add(LogSource.instanceLogGroup(i)));
        Settings.list(ctx.settings().get(Setting.AURORA_CLUSTERS, env))
                .forEach(c -> names.add(LogSource.clusterLogGroup(c)));
        return names;
    }

    private static void addForwarderGroups(CliContext ctx, CloudWatchLogsClient logs, List<LogGroup> groups,
                                           List<String> missing) {
        for (Environment env : Environment.values()) {
            String name = LogGroups.lambdaGroup(ctx.settings().get(Setting.FUNCTION, env).value());
            LogGroups.named(logs, name).ifPresentOrElse(groups::add, () -> missing.add(name));
        }
    }
}
