package io.pglogs.cli.config;

import io.pglogs.cli.error.BadSettingException;
import io.pglogs.forwarder.parse.Redaction;
import java.util.Optional;

/** The setting {@code <env>.redact}: the redaction level an environment's table publishes and its writers follow. */
public final class RedactSetting {
    private RedactSetting() {
    }

    /** The level the setting asks for, when set; a value that is no level is a bad setting (exit 2). */
    public static Optional<Redaction> of(Settings settings, Environment env) {
        Settings.Value v = settings.get(Setting.REDACT, env);
        if (!v.isSet()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Redaction.of(v.value()));
        } catch (IllegalArgumentException e) {
            throw new BadSettingException(Setting.REDACT.key(env) + " '" + v.value() + "' (" + v.source()
                    + ") is not a redaction level: use none, passwords (the default) or literals");
        }
    }
}
