package io.pglogs.forwarder;

import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.StorageFormat;
import io.pglogs.forwarder.parse.LogTimeZone;
import io.pglogs.forwarder.parse.Redaction;
import java.util.Map;

/**
 * The forwarder's settings, read from the same environment variables in Lambda and in the local runner.
 *
 * @param table       PGLOGS_TABLE, required
 * @param ttlDays     PGLOGS_TTL_DAYS, default 90
 * @param shards      PGLOGS_SHARDS, default 4; must match the table's published shard count
 * @param redaction   PGLOGS_REDACT: none, passwords (the default) or literals; true and false, as before levels
 *                    existed, are passwords and none
 * @param parallelism PGLOGS_WRITE_PARALLELISM, batches in flight at once, default 4
 * @param logTimezone PGLOGS_LOG_TIMEZONE, the servers' {@code log_timezone} (e.g. Europe/Berlin), default none: it
 *                    resolves the zone abbreviations that name more than one offset (CST, IST, PST)
 * @param format      PGLOGS_FORMAT, entries (the default) or compact; must match the table's pglogs:format tag
 * @param summaries   PGLOGS_SUMMARIES, true or false (default: true for entries, false for compact): whether summary
 *                    items are written beside the entries (issue 26); off, the catalogue items are written unmarked,
 *                    so readers use entries (and rollups made from them)
 */
public record ForwarderConfig(String table, int ttlDays, int shards, Redaction redaction, int parallelism,
                              LogTimeZone logTimezone, StorageFormat format, boolean summaries) {

    /** With summaries, the default. */
    public ForwarderConfig(String table, int ttlDays, int shards, Redaction redaction, int parallelism,
                           LogTimeZone logTimezone, StorageFormat format) {
        this(table, ttlDays, shards, redaction, parallelism, logTimezone, format, true);
    }

    public ForwarderConfig(String table, int ttlDays, int shards, boolean redact, int parallelism,
                           LogTimeZone logTimezone, StorageFormat format) {
        this(table, ttlDays, shards, redact ? Redaction.PASSWORDS : Redaction.NONE, parallelism, logTimezone, format);
    }

    /** Whether anything is redacted at all. */
    public boolean redact() {
        return redaction != Redaction.NONE;
    }

    public ForwarderConfig(String table, int ttlDays, int shards, boolean redact, int parallelism,
                           LogTimeZone logTimezone) {
        this(table, ttlDays, shards, redact, parallelism, logTimezone, StorageFormat.ENTRIES);
    }

    /** Servers logging in UTC or in unambiguous zone abbreviations. */
    public ForwarderConfig(String table, int ttlDays, int shards, boolean redact, int parallelism) {
        this(table, ttlDays, shards, redact, parallelism, LogTimeZone.NONE);
    }

    /** A setting that is missing or malformed; the message names the variable and what it takes. */
    public static final class InvalidConfigException extends IllegalArgumentException {
        public InvalidConfigException(String message) {
            super(message);
        }
    }

    public static ForwarderConfig fromEnvironment(Map<String, String> env) {
        String table = env.get("PGLOGS_TABLE");
        if (table == null || table.isBlank()) {
            throw new InvalidConfigException("PGLOGS_TABLE is not set: name the DynamoDB table to write to");
        }
        return new ForwarderConfig(table.trim(),
                intSetting(env, "PGLOGS_TTL_DAYS", ItemContract.DEFAULT_TTL_DAYS, 1, 3650),
                intSetting(env, "PGLOGS_SHARDS", ItemContract.DEFAULT_SHARDS, 1, 256),
                redactionSetting(env, "PGLOGS_REDACT"),
                intSetting(env, "PGLOGS_WRITE_PARALLELISM", 4, 1, 64),
                zoneSetting(env, "PGLOGS_LOG_TIMEZONE"),
                formatSetting(env, "PGLOGS_FORMAT"),
                summariesSetting(env, "PGLOGS_SUMMARIES", formatSetting(env, "PGLOGS_FORMAT")));
    }

    /**
     * true or false (as the table's pglogs:summaries tag); absent is what {@code auto} gives the format: on for
     * entries, off for compact (where a summary per payload would cost about as much as the payload's items), so a
     * table tagged before the switch existed gets what {@code start} would give it.
     */
    static boolean summariesSetting(Map<String, String> env, String name, StorageFormat format) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return format != StorageFormat.COMPACT;
        }
        if (v.trim().equalsIgnoreCase("true")) {
            return true;
        }
        if (v.trim().equalsIgnoreCase("false")) {
            return false;
        }
        throw new InvalidConfigException(name + "=" + v + " is not one of true, false");
    }

    static Redaction redactionSetting(Map<String, String> env, String name) {
        try {
            return Redaction.of(env.get(name));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(name + "=" + env.get(name)
                    + " is not one of none, passwords, literals (true is passwords, false is none)");
        }
    }

    static StorageFormat formatSetting(Map<String, String> env, String name) {
        try {
            return StorageFormat.of(env.get(name));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(name + "=" + env.get(name) + " is not one of entries, compact");
        }
    }

    static LogTimeZone zoneSetting(Map<String, String> env, String name) {
        try {
            return LogTimeZone.of(env.get(name));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(name + "=" + env.get(name) + ": " + e.getMessage());
        }
    }

    static int intSetting(Map<String, String> env, String name, int dflt, int min, int max) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the accepted range
        }
        throw new InvalidConfigException(name + "=" + v + " is not a whole number from " + min + " to " + max);
    }
}
