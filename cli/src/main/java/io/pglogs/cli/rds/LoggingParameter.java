package io.pglogs.cli.rds;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The PostgreSQL parameters {@code pglogs rds configure} manages: the logging ones, with their type, the values RDS
 * accepts and whether a change applies at once (dynamic) or at the next reboot (static). RDS writes booleans as 1/0.
 */
public record LoggingParameter(String name, Type type, long min, long max, List<String> allowed, boolean dynamic) {
    public enum Type { BOOLEAN, INTEGER, REAL, ENUM, LIST }

    private static final List<String> LEVELS = List.of("debug5", "debug4", "debug3", "debug2", "debug1", "info",
            "notice", "warning", "error", "log", "fatal", "panic");
    private static final long INT_MAX = Integer.MAX_VALUE;

    public static final Map<String, LoggingParameter> CATALOG = catalog(
            integer("log_min_duration_statement", -1, INT_MAX),
            enumeration("log_statement", List.of("none", "ddl", "mod", "all")),
            bool("log_connections"),
            bool("log_disconnections"),
            bool("log_lock_waits"),
            integer("log_temp_files", -1, INT_MAX),
            integer("log_autovacuum_min_duration", -1, INT_MAX),
            bool("log_checkpoints"),
            enumeration("log_error_verbosity", List.of("terse", "default", "verbose")),
            enumeration("log_min_error_statement", LEVELS),
            enumeration("log_min_messages", LEVELS),
            bool("log_duration"),
            bool("log_hostname"),
            bool("log_replication_commands"),
            real("log_statement_sample_rate"),
            integer("log_parameter_max_length", -1, 1_073_741_823),
            integer("log_parameter_max_length_on_error", -1, 1_073_741_823),
            integer("rds.log_retention_period", 1440, 10080),
            integer("auto_explain.log_min_duration", -1, INT_MAX),
            bool("auto_explain.log_analyze"),
            bool("track_io_timing"),
            new LoggingParameter("pgaudit.log", Type.LIST, 0, 0, List.of(), true),
            new LoggingParameter("shared_preload_libraries", Type.LIST, 0, 0, List.of(), false));

    /** The value as RDS stores it, or an error message naming what the parameter accepts. */
    public String normalise(String value) throws InvalidValueException {
        String v = value.trim();
        switch (type) {
            case BOOLEAN -> {
                return switch (v.toLowerCase(Locale.ROOT)) {
                    case "1", "on", "true", "yes" -> "1";
                    case "0", "off", "false", "no" -> "0";
                    default -> throw invalid(value, "on/off (1/0)");
                };
            }
            case INTEGER -> {
                try {
                    long n = Long.parseLong(v);
                    if (n >= min && n <= max) {
                        return Long.toString(n);
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                throw invalid(value, "a whole number from " + min + " to " + max);
            }
            case REAL -> {
                try {
                    double d = Double.parseDouble(v);
                    if (d >= 0 && d <= 1) {
                        return v;
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                throw invalid(value, "a number from 0 to 1");
            }
            case ENUM -> {
                if (allowed.contains(v.toLowerCase(Locale.ROOT))) {
                    return v.toLowerCase(Locale.ROOT);
                }
                throw invalid(value, "one of " + String.join(", ", allowed));
            }
            default -> {
                return v;
            }
        }
    }

    public String applyMethod() {
        return dynamic ? "immediate" : "pending-reboot";
    }

    /** A value a parameter does not accept. */
    public static final class InvalidValueException extends Exception {
        InvalidValueException(String message) {
            super(message);
        }
    }

    private InvalidValueException invalid(String value, String accepts) {
        return new InvalidValueException("invalid value '" + value + "' for " + name + ": expected " + accepts);
    }

    private static LoggingParameter bool(String name) {
        return new LoggingParameter(name, Type.BOOLEAN, 0, 1, List.of("0", "1"), true);
    }

    private static LoggingParameter integer(String name, long min, long max) {
        return new LoggingParameter(name, Type.INTEGER, min, max, List.of(), true);
    }

    private static LoggingParameter real(String name) {
        return new LoggingParameter(name, Type.REAL, 0, 1, List.of(), true);
    }

    private static LoggingParameter enumeration(String name, List<String> values) {
        return new LoggingParameter(name, Type.ENUM, 0, 0, values, true);
    }

    private static Map<String, LoggingParameter> catalog(LoggingParameter... params) {
        Map<String, LoggingParameter> m = new LinkedHashMap<>();
        for (LoggingParameter p : params) {
            m.put(p.name(), p);
        }
        return Map.copyOf(m);
    }
}
