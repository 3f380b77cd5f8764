package io.pglogs.forwarder.parse;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the zone PostgreSQL prints after a log timestamp into a UTC offset. With {@code log_timezone} other than UTC,
 * PostgreSQL prints the tz database's abbreviation for that moment ({@code CET}, {@code CEST}, {@code EDT}, or
 * {@code +03} where the database has no letters). Most abbreviations name one offset. Some name several ({@code CST}:
 * US Central, China, Cuba; {@code IST}: India, Israel, Ireland; {@code PST}: US Pacific, Philippines; {@code CDT});
 * those need the server's {@code log_timezone} ({@code PGLOGS_LOG_TIMEZONE}), which also settles an abbreviation not
 * in the table whenever the zone has one offset at that local time.
 */
public final class LogTimeZone {
    /** No zone configured: unambiguous abbreviations and numeric offsets only. */
    public static final LogTimeZone NONE = new LogTimeZone(null);

    /**
     * Every alphabetic abbreviation the tz database (2024) prints for a zone today, with the offsets it stands for, in
     * seconds. TimeZoneCorpusTest checks it against what a real PostgreSQL server prints for every zone it knows.
     */
    private static final Map<String, int[]> ABBREVIATIONS = new HashMap<>();

    static {
        abbreviation("UTC", 0);
        abbreviation("GMT", 0);
        abbreviation("WET", 0);
        abbreviation("WEST", 3600);
        abbreviation("BST", 3600);
        abbreviation("IST", 3600, 7200, 19800);
        abbreviation("CET", 3600);
        abbreviation("CEST", 7200);
        abbreviation("MET", 3600);
        abbreviation("MEST", 7200);
        abbreviation("WAT", 3600);
        abbreviation("EET", 7200);
        abbreviation("EEST", 10800);
        abbreviation("CAT", 7200);
        abbreviation("SAST", 7200);
        abbreviation("IDT", 10800);
        abbreviation("MSK", 10800);
        abbreviation("EAT", 10800);
        abbreviation("PKT", 18000);
        abbreviation("WIB", 25200);
        abbreviation("WITA", 28800);
        abbreviation("AWST", 28800);
        abbreviation("HKT", 28800);
        abbreviation("WIT", 32400);
        abbreviation("JST", 32400);
        abbreviation("KST", 32400);
        abbreviation("ACST", 34200);
        abbreviation("ACDT", 37800);
        abbreviation("AEST", 36000);
        abbreviation("AEDT", 39600);
        abbreviation("ChST", 36000);
        abbreviation("NZST", 43200);
        abbreviation("NZDT", 46800);
        abbreviation("SST", -39600);
        abbreviation("HST", -36000);
        abbreviation("HDT", -32400);
        abbreviation("AKST", -32400);
        abbreviation("AKDT", -28800);
        abbreviation("PST", -28800, 28800);
        abbreviation("PDT", -25200);
        abbreviation("MST", -25200);
        abbreviation("MDT", -21600);
        abbreviation("CST", -21600, -18000, 28800);
        abbreviation("CDT", -18000, -14400);
        abbreviation("EST", -18000);
        abbreviation("EDT", -14400);
        abbreviation("AST", -14400);
        abbreviation("ADT", -10800);
        abbreviation("NST", -12600);
        abbreviation("NDT", -9000);
    }

    private static void abbreviation(String name, int... offsets) {
        ABBREVIATIONS.put(name, offsets);
    }

    /** The tz database's fixed zones whose names Java keeps only as short ids. */
    private static final Map<String, String> FIXED = Map.of("EST", "-05:00", "MST", "-07:00", "HST", "-10:00");

    private final ZoneId zone;

    private LogTimeZone(ZoneId zone) {
        this.zone = zone;
    }

    /**
     * The server's {@code log_timezone} as PostgreSQL names it (a tz database name such as {@code Europe/Berlin});
     * blank or null for none.
     *
     * @throws IllegalArgumentException naming the value when it is no zone Java knows
     */
    public static LogTimeZone of(String name) {
        if (name == null || name.isBlank()) {
            return NONE;
        }
        try {
            // Debian's PostgreSQL also lists the tz database's posix/ copy of every zone.
            return new LogTimeZone(ZoneId.of(name.trim().replaceFirst("^posix/", ""), FIXED));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("'" + name.trim() + "' is not a time zone name such as Europe/Berlin or "
                    + "America/New_York (" + e.getMessage() + ")");
        }
    }

    /** The configured zone, or null. */
    public ZoneId zone() {
        return zone;
    }

    /** True when {@code abbreviation} is one the table knows. */
    static boolean knows(String abbreviation) {
        return ABBREVIATIONS.containsKey(abbreviation);
    }

    /** True when {@code abbreviation} names one offset whatever the zone. */
    public static boolean isUnambiguous(String abbreviation) {
        int[] offsets = ABBREVIATIONS.get(abbreviation);
        return offsets != null && offsets.length == 1;
    }

    /**
     * The UTC offset, in seconds, of the alphabetic abbreviation {@code s[start, end)} printed beside the local time
     * {@code localEpochSecond} (seconds since 1970-01-01T00:00 on the wall clock); null when it cannot be told.
     */
    Integer offsetSeconds(String s, int start, int end, long localEpochSecond) {
        int[] candidates = ABBREVIATIONS.get(s.substring(start, end));
        if (candidates != null && candidates.length == 1) {
            return candidates[0];
        }
        if (zone == null) {
            return null;
        }
        ZoneRules rules = zone.getRules();
        List<ZoneOffset> valid = rules.getValidOffsets(LocalDateTime.ofEpochSecond(localEpochSecond, 0,
                ZoneOffset.UTC));
        if (candidates == null) {
            // An abbreviation the table lacks: the zone decides, unless the local time is in its repeated hour.
            return valid.size() == 1 ? valid.get(0).getTotalSeconds() : null;
        }
        for (int c : candidates) {
            for (ZoneOffset o : valid) {
                if (o.getTotalSeconds() == c) {
                    return c;
                }
            }
        }
        return null;
    }
}
