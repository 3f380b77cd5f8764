package io.pglogs.cli.option;

import java.time.Instant;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * --since and --until, one definition for query, tail and backfill. Where a window starts by default is each
 * command's own (query: the last hour, tail: the last ten minutes, like aws logs tail; backfill must be told), so the
 * option has no default of its own and the command passes it.
 */
public final class TimeWindowOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--since", paramLabel = "TIME", description = "Start: 30s, 10m, 1h, 2d, 1w ago, or ISO-8601 (no "
            + "offset: UTC). Default: 1h for query, 10m for tail; backfill needs it.")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "End, in the same forms. Default: now.")
    String until;

    /** @param defaultSince where the window starts when --since is not given; null: --since is required */
    public TimeWindow window(String defaultSince, Instant now) {
        return TimeWindow.of(command, since(defaultSince), until == null ? "now" : until, now);
    }

    /** The start alone, for a window that has no end (tail --follow); --until is then a usage error. */
    public Instant start(String defaultSince, Instant now) {
        if (until != null) {
            throw new ParameterException(command.commandLine(), "--until cannot be combined with --follow: "
                    + "following has no end");
        }
        return TimeWindow.time(command, "--since", since(defaultSince), now);
    }

    private String since(String defaultSince) {
        if (since == null && defaultSince == null) {
            throw new ParameterException(command.commandLine(), "Missing required option: '--since=TIME'");
        }
        return since == null ? defaultSince : since;
    }
}
