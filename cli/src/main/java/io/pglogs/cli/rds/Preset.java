package io.pglogs.cli.rds;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Logging verbosity presets; their values and the reasoning behind them are in docs/rds-presets.md.
 * Values are as RDS stores them (booleans 1/0, durations in milliseconds, temp file sizes in kB).
 */
public enum Preset {
    /** Errors and slow statements only: the least log volume that still shows trouble. */
    quiet(Map.of(
            "log_min_duration_statement", "5000",
            "log_statement", "none",
            "log_connections", "0",
            "log_disconnections", "0",
            "log_lock_waits", "0",
            "log_temp_files", "-1",
            "log_autovacuum_min_duration", "-1",
            "log_checkpoints", "0",
            "log_error_verbosity", "default")),
    /** What pgBadger needs for its reports, short of logging every statement. */
    standard(Map.of(
            "log_min_duration_statement", "1000",
            "log_statement", "ddl",
            "log_connections", "1",
            "log_disconnections", "1",
            "log_lock_waits", "1",
            "log_temp_files", "0",
            "log_autovacuum_min_duration", "0",
            "log_checkpoints", "1",
            "log_error_verbosity", "default")),
    /** Every statement with its duration: for a time-boxed investigation, then back to standard. */
    verbose(Map.of(
            "log_min_duration_statement", "0",
            "log_statement", "all",
            "log_connections", "1",
            "log_disconnections", "1",
            "log_lock_waits", "1",
            "log_temp_files", "0",
            "log_autovacuum_min_duration", "0",
            "log_checkpoints", "1",
            "log_error_verbosity", "verbose"));

    private final Map<String, String> values;

    Preset(Map<String, String> values) {
        this.values = values;
    }

    /** The preset's parameters in the catalog's order. */
    public Map<String, String> parameters() {
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String name : PARAMETER_ORDER) {
            ordered.put(name, values.get(name));
        }
        return ordered;
    }

    /** The parameters every preset sets, in the order they are shown. */
    public static final java.util.List<String> PARAMETER_ORDER = java.util.List.of("log_min_duration_statement",
            "log_statement", "log_connections", "log_disconnections", "log_lock_waits", "log_temp_files",
            "log_autovacuum_min_duration", "log_checkpoints", "log_error_verbosity");
}
