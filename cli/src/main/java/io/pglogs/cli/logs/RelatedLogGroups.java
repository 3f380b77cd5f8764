package io.pglogs.cli.logs;

import io.pglogs.cli.CliContext;
import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Setting;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;

/** The groups retention manages: every PostgreSQL group of the region and the forwarder's group of each environment. */
public final class RelatedLogGroups {
    private RelatedLogGroups() {
    }

    /** @param missing receives the names of forwarder groups that do not exist (collectors not started) */
    public static List<LogGroup> find(CliContext ctx, CloudWatchLogsClient logs, List<String> missing) {
        List<LogGroup> groups = new ArrayList<>(LogGroups.postgres(logs));
        for (Environment env : Environment.values()) {
            String name = LogGroups.lambdaGroup(ctx.settings().get(Setting.FUNCTION, env).value());
            LogGroups.named(logs, name).ifPresentOrElse(groups::add, () -> missing.add(name));
        }
        return groups;
    }
}
