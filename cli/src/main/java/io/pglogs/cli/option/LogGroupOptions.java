package io.pglogs.cli.option;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** --log-group: CloudWatch Logs groups named outright. */
public final class LogGroupOptions {
    @Option(names = "--log-group", paramLabel = "GROUP", converter = Values.LogGroup.class,
            description = "This log group (repeatable): backfill reads it, retention set changes only it.")
    List<String> groups = new ArrayList<>();

    public List<String> all() {
        return groups;
    }
}
