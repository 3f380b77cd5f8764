package io.pglogs.cli.option;

import io.pglogs.cli.query.TimeSpec;
import java.time.Instant;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** --since and --until as given on the command line: read once, a bad value a usage error naming its option. */
public record TimeWindow(Instant from, Instant until) {

    static TimeWindow of(CommandSpec spec, String since, String until, Instant now) {
        Instant from = time(spec, "--since", since, now);
        Instant to = time(spec, "--until", until, now);
        if (from.isAfter(to)) {
            throw new ParameterException(spec.commandLine(), "--since " + since + " is after --until " + until);
        }
        return new TimeWindow(from, to);
    }

    static Instant time(CommandSpec spec, String option, String text, Instant now) {
        try {
            return TimeSpec.parse(text, now);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }
}
