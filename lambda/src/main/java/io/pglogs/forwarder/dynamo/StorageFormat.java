package io.pglogs.forwarder.dynamo;

import java.util.Locale;

/**
 * How a table stores entries, chosen once per table (Terraform's {@code storage_format}, the table tag
 * {@code pglogs:format}, the forwarder's PGLOGS_FORMAT): one item per entry, or the entries of a payload packed into
 * compressed items of at most 1 KB ({@link CompactItems}).
 */
public enum StorageFormat {
    ENTRIES, COMPACT;

    /** The spelling in tags, variables and settings: {@code entries}, {@code compact}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code entries} or {@code compact} (any case, blank meaning entries); anything else is refused. */
    public static StorageFormat of(String value) {
        if (value == null || value.isBlank()) {
            return ENTRIES;
        }
        for (StorageFormat f : values()) {
            if (f.label().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not a storage format: entries or compact");
    }
}
