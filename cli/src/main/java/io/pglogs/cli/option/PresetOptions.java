package io.pglogs.cli.option;

import io.pglogs.cli.rds.LoggingParameter;
import io.pglogs.cli.rds.Preset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** --preset and --set: the logging parameters rds configure brings a database to, each checked before any call. */
public final class PresetOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--preset", required = true, paramLabel = "PRESET",
            description = "${COMPLETION-CANDIDATES}: see docs/rds-presets.md.")
    Preset preset;

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "Override or add a logging parameter "
            + "(repeatable), e.g. --set log_min_duration_statement=500.")
    Map<String, String> overrides = new LinkedHashMap<>();

    public Preset preset() {
        return preset;
    }

    /** The preset with --set applied, each name and value checked: a usage error before anything is changed. */
    public Map<String, String> wanted() {
        Map<String, String> wanted = new LinkedHashMap<>(preset.parameters());
        overrides.forEach((name, value) -> {
            LoggingParameter p = LoggingParameter.CATALOG.get(name);
            if (p == null) {
                throw new ParameterException(command.commandLine(), "unknown parameter '" + name + "' for --set; "
                        + "pglogs manages: " + String.join(", ", new TreeSet<>(LoggingParameter.CATALOG.keySet())));
            }
            try {
                wanted.put(name, p.normalise(value));
            } catch (LoggingParameter.InvalidValueException e) {
                throw new ParameterException(command.commandLine(), e.getMessage());
            }
        });
        return wanted;
    }
}
