package io.pglogs.cli.option;

import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Setting;
import io.pglogs.cli.config.Settings;
import io.pglogs.forwarder.parse.LogTimeZone;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** --log-timezone: the servers' log_timezone, for commands that parse log lines (import, backfill). */
public final class LogTimezoneOptions {
    private final CliContext ctx;

    public LogTimezoneOptions(CliContext ctx) {
        this.ctx = ctx;
    }

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--log-timezone", paramLabel = "ZONE", description = "The servers' log_timezone, e.g. "
            + "Europe/Berlin: resolves zone abbreviations that name several offsets (CST, IST, PST) (else "
            + "PGLOGS_<ENV>_LOG_TIMEZONE, the config file's <env>.log_timezone, UTC: RDS's default). Unambiguous "
            + "abbreviations such as CET or EDT are read whatever it is.")
    String logTimezone;

    public LogTimeZone zones(Environment env) {
        Settings.Value v = ctx.settings().get(Setting.LOG_TIMEZONE, env, "--log-timezone", logTimezone);
        try {
            return LogTimeZone.of(v.value());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), v.source() + ": " + e.getMessage());
        }
    }
}
