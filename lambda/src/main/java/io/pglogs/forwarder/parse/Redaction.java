package io.pglogs.forwarder.parse;

import java.util.Locale;

/**
 * How much a deployment removes from log text before storing it: {@code PGLOGS_REDACT}, the table's
 * {@code pglogs:redact} tag, Terraform's {@code redact} variable.
 *
 * <p>The values before levels existed keep their meaning: {@code true} (and on/yes/1) is {@link #PASSWORDS},
 * {@code false} (and off/no/0) is {@link #NONE}. The tag keeps publishing {@code true}/{@code false} for those two,
 * so writers that predate the levels go on reading it; only {@code literals} is new.
 */
public enum Redaction {
    /** Everything stored as logged. */
    NONE("none", "false"),
    /** Passwords and other credentials, in every form {@link Redactor} knows (the default). */
    PASSWORDS("passwords", "true"),
    /** Also every SQL literal and bind parameter value, and the data values PostgreSQL quotes in messages. */
    LITERALS("literals", "literals");

    private final String label;
    private final String tagValue;

    Redaction(String label, String tagValue) {
        this.label = label;
        this.tagValue = tagValue;
    }

    /** The name operators use: none, passwords, literals. */
    public String label() {
        return label;
    }

    /** The value as published in the {@code pglogs:redact} tag and PGLOGS_REDACT: true, false or literals. */
    public String tagValue() {
        return tagValue;
    }

    /** The redactor of this level; null for {@link #NONE}, which stores text as logged. */
    public Redactor redactor() {
        return this == NONE ? null : new Redactor(this);
    }

    /** Reads a level; null or blank is the default, {@link #PASSWORDS}. */
    public static Redaction of(String value) {
        if (value == null || value.isBlank()) {
            return PASSWORDS;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "passwords", "password", "true", "on", "yes", "1" -> PASSWORDS;
            case "none", "false", "off", "no", "0" -> NONE;
            case "literals" -> LITERALS;
            default -> throw new IllegalArgumentException("'" + value.trim()
                    + "' is not a redaction level: use none, passwords (true) or literals");
        };
    }
}
