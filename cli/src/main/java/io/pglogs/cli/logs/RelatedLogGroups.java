package io.pglogs.cli.logs;

import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Setting;
import io.pglogs.cli.config.Settings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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
    public static List<LogGroup> find(Settings settings, CloudWatchLogsClient logs, List<String> missing) {
        List<LogGroup> groups = new ArrayList<>(LogGroups.postgres(logs));
        addForwarderGroups(settings, logs, groups, missing);
        return groups;
    }

    /**
     * The PostgreSQL groups of an environment's instances and clusters ({@code configured}, as the environment's
     * resolver found them), and the forwarder groups.
     *
     * @param missing receives the names of those that do not exist
     */
    public static List<LogGroup> configured(Settings settings, CloudWatchLogsClient logs, Collection<String> configured,
                                            List<String> missing) {
        List<LogGroup> groups = new ArrayList<>();
        for (String name : configured) {
            LogGroups.named(logs, name).ifPresentOrElse(groups::add, () -> missing.add(name));
        }
        addForwarderGroups(settings, logs, groups, missing);
        return groups;
    }

    private static void addForwarderGroups(Settings settings, CloudWatchLogsClient logs, List<LogGroup> groups,
                                           List<String> missing) {
        for (Environment env : Environment.values()) {
            String name = LogGroups.lambdaGroup(settings.get(Setting.FUNCTION, env).value());
            LogGroups.named(logs, name).ifPresentOrElse(groups::add, () -> missing.add(name));
        }
    }
}
