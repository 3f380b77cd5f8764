package io.pglogs.cli.rds;

import io.pglogs.cli.config.Settings;
import io.pglogs.forwarder.parse.LogTimeZone;
import java.time.ZoneId;

/**
 * An instance's {@code log_timezone} beside the one pglogs' forwarder reads its log with (PGLOGS_LOG_TIMEZONE, from
 * the setting {@code <env>.log_timezone}). They must agree for the zone abbreviations that name several offsets (CST,
 * IST, PST) to come out at their true time.
 *
 * @param server          the parameter group's value; RDS's default, UTC, when the group does not set it
 * @param serverIsDefault whether the group leaves it at the engine default
 * @param reader          pglogs' setting, with where it came from
 */
public record LogTimezoneCheck(String server, boolean serverIsDefault, Settings.Value reader) {
    public static final String PARAMETER = "log_timezone";
    private static final String ENGINE_DEFAULT = "UTC";

    /** @param groupParameters the parameters the attached group sets (none for a default group) */
    public static LogTimezoneCheck of(java.util.Map<String, String> groupParameters, Settings.Value reader) {
        String set = groupParameters.get(PARAMETER);
        return new LogTimezoneCheck(set == null ? ENGINE_DEFAULT : set, set == null, reader);
    }

    public boolean agrees() {
        return sameZone(server, reader.value());
    }

    /** One line for a person: the instance's zone, and what to do when pglogs reads the log in another. */
    public String describe(String environment) {
        String shown = server + (serverIsDefault ? " (engine default)" : "");
        if (agrees()) {
            return shown;
        }
        return shown + "; pglogs " + environment + " reads entries with " + reader.value() + " (" + reader.source()
                + "): set " + reader.key() + " (or PGLOGS_" + environment.toUpperCase(java.util.Locale.ROOT)
                + "_LOG_TIMEZONE) to " + server + " and run pglogs start " + environment;
    }

    static boolean sameZone(String a, String b) {
        try {
            ZoneId x = LogTimeZone.of(a).zone();
            ZoneId y = LogTimeZone.of(b).zone();
            return x != null && y != null && x.normalized().equals(y.normalized());
        } catch (IllegalArgumentException e) {
            return a.equalsIgnoreCase(b);
        }
    }
}
