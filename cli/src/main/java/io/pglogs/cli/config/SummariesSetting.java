package io.pglogs.cli.config;

import io.pglogs.cli.error.BadSettingException;
import java.util.Locale;
import java.util.Optional;

/**
 * The setting {@code <env>.summaries}: whether the writers of an environment's table store summary items beside the
 * entries. It reaches Terraform's summaries variable, which the table publishes as its pglogs:summaries tag (true or
 * false) and the forwarder and the CLI's writers follow.
 */
public final class SummariesSetting {
    /** What the setting asks for, spelt as Terraform's variable takes it. */
    public enum Choice {
        /** On for the entries format, off for compact: there, with ordinary payloads, they cost as much as entries. */
        AUTO,
        ON,
        OFF;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** auto, on or off, in any case; anything else is an IllegalArgumentException. */
        public static Choice of(String value) {
            String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
            for (Choice c : values()) {
                if (c.label().equals(v)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("not auto, on or off: '" + value + "'");
        }

        /** What a table that publishes summaries on or off asks for when it is applied again. */
        public static Choice of(boolean on) {
            return on ? ON : OFF;
        }
    }

    private SummariesSetting() {
    }

    /** The choice the setting makes, when set; a value that is none is a bad setting (exit 2). */
    public static Optional<Choice> of(Settings settings, Environment env) {
        Settings.Value v = settings.get(Setting.SUMMARIES, env);
        if (!v.isSet()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Choice.of(v.value()));
        } catch (IllegalArgumentException e) {
            throw new BadSettingException(Setting.SUMMARIES.key(env) + " '" + v.value() + "' (" + v.source()
                    + ") is not a summaries choice: use auto (the default: on for entries, off for compact), on or "
                    + "off");
        }
    }
}
