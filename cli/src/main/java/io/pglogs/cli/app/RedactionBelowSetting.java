package io.pglogs.cli.app;

import io.pglogs.cli.ingest.DeployedSettings;
import io.pglogs.cli.status.StatusReport;
import io.pglogs.forwarder.parse.Redaction;
import java.util.ArrayList;
import java.util.List;

/**
 * A deployment that redacts less than {@code <env>.redact} asks for. A pglogs release from before the
 * {@code literals} level, or a teammate's CLI without the setting, runs {@code start} with its own Terraform and
 * republishes {@code pglogs:redact=true} and {@code PGLOGS_REDACT=true}: from then on every entry is stored with
 * literals in clear, and nothing else says so.
 */
final class RedactionBelowSetting {
    private RedactionBelowSetting() {
    }

    /**
     * @param setting the setting's key ({@code devel.redact}), for the message
     * @return one problem for the table and one for the function, where each writes with less than {@code wanted}
     */
    static List<String> problems(Redaction wanted, String setting, String environment, StatusReport report) {
        List<String> problems = new ArrayList<>();
        DeployedSettings.Setting redact = report.settings().stream().filter(s -> s.name().equals("redact"))
                .findFirst().orElse(null);
        if (redact == null) {
            return problems;
        }
        String fix = ": entries are stored with less redaction than configured (a pglogs release without the "
                + "level, or without the setting, redeployed it); redeploy with pglogs start " + environment;
        if (report.table().exists()) {
            // A table without the tag is read as the default, passwords.
            below(redact.table(), wanted).ifPresent(level -> problems.add("table " + report.table().name() + " has "
                    + redact.tag() + "=" + shown(redact.table()) + " (" + level.label() + "), less than " + setting
                    + "=" + wanted.label() + fix));
        }
        if (report.function().exists()) {
            // A function without the variable redacts at the forwarder's default, passwords.
            below(redact.function(), wanted).ifPresent(level -> problems.add("function " + report.function().name()
                    + " has " + redact.variable() + "=" + shown(redact.function()) + " (" + level.label()
                    + "), less than " + setting + "=" + wanted.label() + fix));
        }
        return problems;
    }

    /**
     * The function redacting less than the table's own tag says, whatever the local setting: a function deployed
     * without PGLOGS_REDACT (an older release's Terraform) writes at the forwarder's default, passwords, beside a table
     * tagged literals. Two values that are both set and differ are reported as a disagreement already.
     */
    static List<String> functionBelowTable(String environment, StatusReport report) {
        DeployedSettings.Setting redact = report.settings().stream().filter(s -> s.name().equals("redact"))
                .findFirst().orElse(null);
        if (redact == null || redact.disagree() || !report.table().exists() || !report.function().exists()) {
            return List.of();
        }
        Redaction table;
        try {
            table = Redaction.of(redact.table());
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        return below(redact.function(), table).map(level -> List.of("function " + report.function().name() + " has "
                + redact.variable() + "=" + shown(redact.function()) + " (" + level.label() + "), less than table "
                + report.table().name() + "'s " + redact.tag() + "=" + shown(redact.table()) + " (" + table.label()
                + "): entries are stored with less redaction than the deployment says; redeploy with pglogs start "
                + environment)).orElse(List.of());
    }

    /** The level a deployed value stands for, when it is below {@code wanted}; an unreadable value is reported elsewhere. */
    private static java.util.Optional<Redaction> below(String deployed, Redaction wanted) {
        Redaction level;
        try {
            level = Redaction.of(deployed);
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
        return level.compareTo(wanted) < 0 ? java.util.Optional.of(level) : java.util.Optional.empty();
    }

    private static String shown(String value) {
        return value == null ? "(not set)" : value;
    }
}
