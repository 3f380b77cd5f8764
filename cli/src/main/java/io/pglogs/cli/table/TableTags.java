package io.pglogs.cli.table;

import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.StorageFormat;
import io.pglogs.forwarder.parse.Redaction;
import java.util.Map;

/**
 * What a log table publishes about itself in its tags (Terraform writes them with the table): shards, TTL days,
 * redaction, storage format, and the environment it belongs to. Parsing lives here, once: a tag that cannot be read
 * is an error, not a guess.
 */
public record TableTags(Map<String, String> values) {
    public static final String ENVIRONMENT = "pglogs:environment";
    /**
     * Set by start on a table it moved an environment away from (the new table's name): the table stays, out of
     * Terraform's state, and a start whose settings still name it is refused rather than moving back.
     */
    public static final String REPLACED_BY = "pglogs:replaced_by";
    /** Whether the writers store summary items: true or false (absent: they do, as before the tag existed). */
    public static final String SUMMARIES = ItemContract.SUMMARIES_TAG;

    public TableTags {
        values = Map.copyOf(values);
    }

    public String get(String key) {
        return values.get(key);
    }

    /** The shard count, or null when the table has no shards tag (readers then assume the default). */
    public Integer shards() {
        String v = values.get(ItemContract.SHARDS_TAG);
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(ItemContract.SHARDS_TAG + "=" + v + " is not a number");
        }
    }

    /** How the table stores entries; a table tagged before the format existed stores entries. */
    public StorageFormat format() {
        return storageFormat(values.get(ItemContract.FORMAT_TAG));
    }

    /** The days entries are kept (TTL), or null when the table has no readable ttl tag. */
    public Integer ttlDays() {
        String v = values.get(ItemContract.TTL_DAYS_TAG);
        try {
            return v == null ? null : Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The redaction level the table publishes, or null when it has no redact tag. */
    public Redaction redaction() {
        String v = values.get(ItemContract.REDACT_TAG);
        return v == null || v.isBlank() ? null : Redaction.of(v);
    }

    /** Whether the table publishes summaries on (true) or off (false), or null when it has no summaries tag. */
    public Boolean summaries() {
        String v = values.get(SUMMARIES);
        if (v == null || v.isBlank()) {
            return null;
        }
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException(SUMMARIES + "=" + v + " is not true or false");
        };
    }

    /** Whether any pglogs tag is set: the table was made by persistent_data (or tagged as its tables are). */
    public boolean isPglogs() {
        return values.keySet().stream().anyMatch(k -> k.startsWith("pglogs:"));
    }

    /** The table an environment moved to from this one, or null. */
    public String replacedBy() {
        return values.get(REPLACED_BY);
    }

    /** The environment the table was made for, or null. */
    public String environment() {
        return values.get(ENVIRONMENT);
    }

    /**
     * A storage format as tags, variables and settings spell it ({@code entries} or {@code compact}, any case, blank
     * meaning entries): the one place pglogs parses one.
     */
    public static StorageFormat storageFormat(String value) {
        return StorageFormat.of(value);
    }
}
