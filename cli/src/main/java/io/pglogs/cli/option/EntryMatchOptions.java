package io.pglogs.cli.option;

import io.pglogs.cli.query.EntryMatch;
import io.pglogs.cli.query.Filters;
import io.pglogs.cli.query.TimeSpec;
import io.pglogs.forwarder.parse.EntryKind;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * query's options on what an entry is (docs/schema.md "Kinds") and what is shown around it. The work is done by
 * {@link EntryMatch} (pushed into DynamoDB's filter expressions) and ContextRows (in the query use case); this only reads the options.
 */
public final class EntryMatchOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = {"-k", "--kind"}, paramLabel = "KIND", split = ",", description = "Only entries of these kinds, "
            + "e.g. deadlock,lock_wait or statement_duration (docs/schema.md lists them).")
    List<String> kinds = new ArrayList<>();

    @Option(names = "--min-duration", paramLabel = "DURATION", description = "Only entries reporting a duration at "
            + "least this long: 250ms, 1.5s, 2m (a bare number is milliseconds).")
    String minDuration;

    @Option(names = "--fingerprint", paramLabel = "HASH", description = "Only entries of the statement with this "
            + "fingerprint (the attribute fingerprint: 16 hexadecimal digits).")
    String fingerprint;

    @Option(names = {"-C", "--context"}, paramLabel = "N", description = "Also N entries of the same instance and "
            + "process before and after each match, marked (text: '>' a match, '-' before, '+' after; the others: "
            + "the attribute context).")
    Integer context;

    @Option(names = "--around", paramLabel = "TIME", description = "The window centred on TIME (same forms as "
            + "--since), --within either side; instead of --since/--until.")
    String around;

    @Option(names = "--within", paramLabel = "DURATION", defaultValue = "5m", description = "With --around: how far "
            + "either side of it (30s, 10m, 1h; default: ${DEFAULT-VALUE}).")
    String within;

    /** The window: centred on --around, else --since/--until. */
    public TimeWindow window(TimeWindowOptions time, String defaultSince, Instant now) {
        if (around == null) {
            return time.window(defaultSince, now);
        }
        var parsed = command.commandLine().getParseResult();
        if (parsed != null && (parsed.hasMatchedOption("--since") || parsed.hasMatchedOption("--until"))) {
            throw new ParameterException(command.commandLine(), "--around cannot be combined with --since or --until");
        }
        Instant centre = time("--around", around, now);
        Duration half = Duration.between(time("--within", within, now), now);
        if (half.isNegative() || half.isZero()) {
            throw new ParameterException(command.commandLine(), "--within must be a length such as 30s, 10m or 1h");
        }
        return new TimeWindow(centre.minus(half), centre.plus(half));
    }

    private Instant time(String option, String text, Instant now) {
        try {
            return TimeSpec.parse(text, now);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), option + ": " + e.getMessage());
        }
    }

    /** {@code selected} narrowed to the entries these options ask for. */
    public Filters filters(Filters selected) {
        Set<String> wanted = null;
        if (!kinds.isEmpty()) {
            wanted = new LinkedHashSet<>();
            for (String k : kinds) {
                String kind = k.trim().toLowerCase(Locale.ROOT);
                if (!EntryKind.isKnown(kind)) {
                    throw new ParameterException(command.commandLine(), "unknown kind '" + k + "': expected one of "
                            + String.join(", ", EntryKind.ALL));
                }
                wanted.add(kind);
            }
        }
        BigDecimal min = null;
        if (minDuration != null) {
            try {
                min = EntryMatch.parseDuration(minDuration);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(command.commandLine(), "--min-duration: " + e.getMessage());
            }
        }
        String fp = null;
        if (fingerprint != null) {
            fp = fingerprint.trim().toLowerCase(Locale.ROOT);
            if (!fp.matches("[0-9a-f]{16}")) {
                throw new ParameterException(command.commandLine(), "--fingerprint '" + fingerprint + "' is not a "
                        + "fingerprint: 16 hexadecimal digits, as the attribute fingerprint holds");
            }
        }
        if (context != null && (context < 0 || context > 1000)) {
            throw new ParameterException(command.commandLine(), "--context must be from 0 to 1000");
        }
        return selected.with(new EntryMatch(wanted, min, fp));
    }

    /** How many entries of the same process to show before and after each match; null: none. */
    public Integer context() {
        return context;
    }
}
