package io.pglogs.cli.ingest;

import io.pglogs.cli.table.DeployedTable;
import io.pglogs.cli.table.TableTags;
import io.pglogs.cli.error.PreconditionException;
import io.pglogs.forwarder.ForwarderConfig;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.StorageFormat;
import io.pglogs.forwarder.parse.Redaction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * How an environment writes entries: days kept (TTL), shards per instance and day, what is redacted (none, passwords,
 * literals),
 * the storage format and whether summary items are written. Terraform publishes them once per environment as table
 * tags, and gives the forwarder the same values as PGLOGS_TTL_DAYS, PGLOGS_SHARDS, PGLOGS_REDACT, PGLOGS_FORMAT and
 * PGLOGS_SUMMARIES; the CLI's own writers (backfill, import, failed redrive) read them from there, so every writer
 * agrees with the Lambda.
 *
 * @param source where the values came from, for messages
 */
public record DeployedSettings(int ttlDays, int shards, Redaction redaction, StorageFormat format, boolean summaries,
                               String source) {
    /** With summaries, the default. */
    public DeployedSettings(int ttlDays, int shards, Redaction redaction, StorageFormat format, String source) {
        this(ttlDays, shards, redaction, format, true, source);
    }

    /** One setting as the table publishes it and as the function has it; null where not set. */
    public record Setting(String name, String tag, String variable, String table, String function) {
        public boolean disagree() {
            return table != null && function != null && !table.equals(function);
        }
    }

    public static final DeployedSettings DEFAULTS = new DeployedSettings(ItemContract.DEFAULT_TTL_DAYS,
            ItemContract.DEFAULT_SHARDS, Redaction.PASSWORDS, StorageFormat.ENTRIES, "defaults");

    /** Whether anything is redacted at all. */
    public boolean redact() {
        return redaction != Redaction.NONE;
    }

    /** The settings, each as the table tag and the function's environment have it. */
    public static List<Setting> compare(Map<String, String> tableTags, Map<String, String> functionEnvironment) {
        List<Setting> out = new ArrayList<>();
        out.add(setting("ttl_days", ItemContract.TTL_DAYS_TAG, "PGLOGS_TTL_DAYS", tableTags, functionEnvironment));
        out.add(setting("shards", ItemContract.SHARDS_TAG, "PGLOGS_SHARDS", tableTags, functionEnvironment));
        out.add(setting("redact", ItemContract.REDACT_TAG, "PGLOGS_REDACT", tableTags, functionEnvironment));
        out.add(setting("format", ItemContract.FORMAT_TAG, "PGLOGS_FORMAT", tableTags, functionEnvironment));
        out.add(setting("summaries", ItemContract.SUMMARIES_TAG, "PGLOGS_SUMMARIES", tableTags,
                functionEnvironment));
        return out;
    }

    private static Setting setting(String name, String tag, String variable, Map<String, String> tags,
                                   Map<String, String> env) {
        String table = normalise(name, tags.get(tag));
        if (table == null && name.equals("format")) {
            // Readers take a table without the tag for an entries table: a compact function writing to it disagrees.
            table = StorageFormat.ENTRIES.label();
        }
        return new Setting(name, tag, variable, table, env == null ? null : normalise(name, env.get(variable)));
    }

    /**
     * Redaction levels compare as the tag writes them (true for passwords, false for none, literals), formats in
     * lower case, whichever spelling was used; blanks are unset.
     */
    private static String normalise(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (name.equals("format")) {
            try {
                return TableTags.storageFormat(value).label();
            } catch (IllegalArgumentException e) {
                return value.trim();
            }
        }
        if (name.equals("summaries")) {
            return value.trim().toLowerCase(java.util.Locale.ROOT);
        }
        if (name.equals("redact")) {
            try {
                return Redaction.of(value).tagValue();
            } catch (IllegalArgumentException e) {
                return value.trim();
            }
        }
        return value.trim();
    }

    /**
     * The settings the deployment writes with: each from the table tag, else the function's environment, else the
     * default. Where tag and function disagree nothing can be written correctly, so it refuses.
     */
    public static DeployedSettings of(DeployedTable deployed, Map<String, String> env, String function) {
        return of(deployed, env, function, null);
    }

    /** @param environment the environment deployed, for the command that redeploys it; null when there is none */
    public static DeployedSettings of(DeployedTable deployed, Map<String, String> env, String function,
                                      String environment) {
        String table = deployed.name();
        List<Setting> settings = compare(deployed.tags().values(), env);
        List<String> disagreements = new ArrayList<>();
        for (Setting s : settings) {
            if (s.disagree()) {
                disagreements.add(s.tag() + "=" + s.table() + " on table " + table + " but " + s.variable() + "="
                        + s.function() + " in function " + function);
            }
        }
        if (!disagreements.isEmpty()) {
            throw new PreconditionException("the deployment disagrees with itself (" + String.join("; ",
                    disagreements) + "): entries written now would not match the Lambda's; nothing was written. "
                    + (environment == null ? "Redeploy with pglogs start, then pglogs status"
                    : "Redeploy with pglogs start " + environment + ", then pglogs status " + environment));
        }
        Map<String, String> effective = new HashMap<>(Map.of("PGLOGS_TABLE", table));
        List<String> from = new ArrayList<>();
        for (Setting s : settings) {
            String v = s.table() != null ? s.table() : s.function();
            if (v != null) {
                effective.put(s.variable(), v);
            }
            from.add(s.name() + " from " + (s.table() != null ? "table tag" : s.function() != null ? "function"
                    : "default"));
        }
        ForwarderConfig config;
        try {
            config = ForwarderConfig.fromEnvironment(effective);
        } catch (IllegalArgumentException e) {
            throw new PreconditionException("the deployed settings of " + table + " are invalid: " + e.getMessage());
        }
        return new DeployedSettings(config.ttlDays(), config.shards(), config.redaction(), config.format(),
                config.summaries(), String.join(", ", from));
    }

    /** The function's environment variables, or null when it does not exist. */
    public static Map<String, String> functionEnvironment(LambdaClient lambda, String function) {
        FunctionConfiguration fn;
        try {
            fn = lambda.getFunction(b -> b.functionName(function)).configuration();
        } catch (ResourceNotFoundException e) {
            return null;
        }
        return fn.environment() == null || fn.environment().variables() == null ? Map.of()
                : fn.environment().variables();
    }
}
