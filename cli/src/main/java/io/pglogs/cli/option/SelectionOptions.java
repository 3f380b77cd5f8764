package io.pglogs.cli.option;

import io.pglogs.cli.query.Filters;
import io.pglogs.forwarder.parse.Severity;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Which entries: instances and filters, shared by query and tail. */
public final class SelectionOptions {
    @Mixin
    InstanceOptions instances;

    @Option(names = "--all-instances", description = "Every instance with entries in the window (the default when no "
            + "--instance is given); found from the table's catalogue, without a Scan.")
    boolean allInstances;

    @Option(names = {"-s", "--severity"}, paramLabel = "LEVEL", split = ",", description = "Only these severities, "
            + "e.g. ERROR,FATAL or STATEMENT.")
    List<String> severities = new ArrayList<>();

    @Option(names = "--min-severity", paramLabel = "LEVEL", description = "This severity and worse, in the order "
            + "DEBUG5..DEBUG1, INFO, NOTICE, LOG, WARNING, ERROR, FATAL, PANIC.")
    String minSeverity;

    @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "Only entries of this database user.")
    String user;

    @Option(names = {"-d", "--database"}, paramLabel = "DB", description = "Only entries of this database.")
    String database;

    @Option(names = {"-g", "--grep"}, paramLabel = "REGEX", description = "Only entries whose message matches this "
            + "Java regular expression (anywhere; (?i) for any case).")
    String grep;

    public Filters filters(CommandSpec spec) {
        if (!instances.all().isEmpty() && allInstances) {
            throw new ParameterException(spec.commandLine(), "--instance and --all-instances cannot be combined");
        }
        Set<String> wanted = null;
        if (!severities.isEmpty() && minSeverity != null) {
            throw new ParameterException(spec.commandLine(), "--severity and --min-severity cannot be combined");
        }
        if (!severities.isEmpty()) {
            wanted = new LinkedHashSet<>();
            for (String s : severities) {
                String upper = s.trim().toUpperCase(Locale.ROOT);
                if (!Severity.isKnown(upper) && !upper.equals("UNKNOWN")) {
                    throw new ParameterException(spec.commandLine(), "unknown severity '" + s + "': expected one of "
                            + String.join(", ", Severity.LEVELS) + ", " + String.join(", ", Severity.COMPANIONS)
                            + ", UNKNOWN");
                }
                wanted.add(upper);
            }
        }
        if (minSeverity != null) {
            String upper = minSeverity.trim().toUpperCase(Locale.ROOT);
            int at = Severity.LEVELS.indexOf(upper);
            if (at < 0) {
                throw new ParameterException(spec.commandLine(), "unknown severity '" + minSeverity + "' for "
                        + "--min-severity: expected one of " + String.join(", ", Severity.LEVELS));
            }
            wanted = new LinkedHashSet<>(Severity.LEVELS.subList(at, Severity.LEVELS.size()));
        }
        Pattern pattern = null;
        if (grep != null) {
            try {
                pattern = Pattern.compile(grep);
            } catch (PatternSyntaxException e) {
                throw new ParameterException(spec.commandLine(), "--grep '" + grep + "' is not a regular expression: "
                        + e.getDescription() + " near index " + e.getIndex());
            }
        }
        return new Filters(wanted, user, database, pattern);
    }

    /** The instances named with --instance; empty for every instance. */
    public List<String> named() {
        return instances.all();
    }

}
