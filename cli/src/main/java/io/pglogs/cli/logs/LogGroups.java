package io.pglogs.cli.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;

/** Finding the log groups pglogs cares about: every PostgreSQL group of the region, and named ones. */
public final class LogGroups {
    private static final List<String> RDS_PREFIXES = List.of("/aws/rds/instance/", "/aws/rds/cluster/");

    private LogGroups() {
    }

    /** Every {@code /aws/rds/instance/*}{@code /postgresql} and {@code /aws/rds/cluster/*}{@code /postgresql} group. */
    public static List<LogGroup> postgres(CloudWatchLogsClient logs) {
        List<LogGroup> out = new ArrayList<>();
        for (String prefix : RDS_PREFIXES) {
            for (LogGroup g : logs.describeLogGroupsPaginator(b -> b.logGroupNamePrefix(prefix)).logGroups()) {
                if (isPostgres(g.logGroupName())) {
                    out.add(g);
                }
            }
        }
        return out;
    }

    public static boolean isPostgres(String name) {
        if (!name.endsWith("/postgresql")) {
            return false;
        }
        for (String prefix : RDS_PREFIXES) {
            if (name.startsWith(prefix) && name.indexOf('/', prefix.length()) == name.length() - "/postgresql".length()) {
                return true;
            }
        }
        return false;
    }

    /** The group with exactly this name, if it exists. */
    public static Optional<LogGroup> named(CloudWatchLogsClient logs, String name) {
        for (LogGroup g : logs.describeLogGroupsPaginator(b -> b.logGroupNamePrefix(name)).logGroups()) {
            if (g.logGroupName().equals(name)) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }

    public static String lambdaGroup(String functionName) {
        return "/aws/lambda/" + functionName;
    }
}
