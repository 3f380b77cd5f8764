package io.pglogs.cli.option;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** --instance: RDS instance identifiers, one definition for every command that names instances. */
public final class InstanceOptions {
    @Option(names = {"-i", "--instance"}, paramLabel = "ID", split = ",", converter = Values.RdsIdentifier.class,
            description = "RDS instance; query, tail and backfill take several (repeatable or comma-separated).")
    List<String> instances = new ArrayList<>();

    public List<String> all() {
        return instances;
    }

    /** For commands that work on one instance. */
    public String one(CommandSpec command) {
        if (instances.isEmpty()) {
            throw new ParameterException(command.commandLine(), "Missing required option: '--instance=ID'");
        }
        if (instances.size() > 1) {
            throw new ParameterException(command.commandLine(), Values.commandName(command) + " takes one --instance, "
                    + "not " + String.join(", ", instances));
        }
        return instances.get(0);
    }
}
