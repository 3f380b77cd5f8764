package io.pglogs.forwarder.parse;

import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Reads PostgreSQL's {@code %t} / {@code %m} timestamps ({@code 2024-05-01 10:00:00[.123] UTC}) by hand: this runs for
 * every entry and a formatter-based parse costs more than all the rest of the line.
 */
final class PrefixTimestamp {
    final Instant instant;
    final boolean hasMillis;
    /** Index just past the timestamp (and its zone, when there is one). */
    final int end;
    /** False when the zone is one {@link LogTimeZone} cannot resolve; the instant then assumes UTC. */
    final boolean zoneKnown;

    private PrefixTimestamp(Instant instant, boolean hasMillis, int end, boolean zoneKnown) {
        this.instant = instant;
        this.hasMillis = hasMillis;
        this.end = end;
        this.zoneKnown = zoneKnown;
    }

    /** True when {@code s} has {@code YYYY-MM-DD HH:MM:SS} at {@code p}. */
    static boolean startsAt(String s, int p) {
        return s.length() >= p + 19
                && digits(s, p, 4) && s.charAt(p + 4) == '-' && digits(s, p + 5, 2) && s.charAt(p + 7) == '-'
                && digits(s, p + 8, 2) && s.charAt(p + 10) == ' ' && digits(s, p + 11, 2) && s.charAt(p + 13) == ':'
                && digits(s, p + 14, 2) && s.charAt(p + 16) == ':' && digits(s, p + 17, 2);
    }

    /**
     * Parses at {@code p}; the zone ends at {@code stop} (the prefix's field separator) and is resolved by
     * {@code zones}. Returns null when there is no valid timestamp there.
     */
    static PrefixTimestamp parse(String s, int p, char stop, LogTimeZone zones) {
        if (!startsAt(s, p)) {
            return null;
        }
        int year = num(s, p, 4);
        int month = num(s, p + 5, 2);
        int day = num(s, p + 8, 2);
        int hour = num(s, p + 11, 2);
        int minute = num(s, p + 14, 2);
        int second = num(s, p + 17, 2);
        if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
            return null;
        }
        int i = p + 19;
        int millis = 0;
        boolean hasMillis = false;
        if (i < s.length() && s.charAt(i) == '.') {
            int start = ++i;
            while (i < s.length() && isDigit(s.charAt(i))) {
                i++;
            }
            if (i == start) {
                return null;
            }
            hasMillis = true;
            // Milliseconds from up to the first three fraction digits, right-padded: ".5" is 500 ms.
            for (int k = 0; k < 3; k++) {
                millis = millis * 10 + (start + k < i ? s.charAt(start + k) - '0' : 0);
            }
        }
        long epochDay;
        try {
            epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        } catch (java.time.DateTimeException e) {
            return null;
        }
        long localSecond = epochDay * 86_400L + hour * 3600L + minute * 60L + Math.min(second, 59);
        int offsetSeconds = 0;
        boolean zoneKnown = true;
        if (i < s.length() && s.charAt(i) == ' ') {
            int start = i + 1;
            int zoneEnd = s.indexOf(stop, start);
            if (zoneEnd < 0) {
                return null;
            }
            Integer offset = zoneOffsetSeconds(s, start, zoneEnd);
            if (offset == null) {
                offset = zones.offsetSeconds(s, start, zoneEnd, localSecond);
            }
            if (offset == null) {
                zoneKnown = false;
            } else {
                offsetSeconds = offset;
            }
            i = zoneEnd;
        }
        return new PrefixTimestamp(Instant.ofEpochSecond(localSecond - offsetSeconds, millis * 1_000_000L), hasMillis,
                i, zoneKnown);
    }

    /** UTC/GMT/Z and numeric offsets such as {@code +03}, {@code -0530}, {@code +05:30}; null for anything else. */
    static Integer zoneOffsetSeconds(String s, int start, int end) {
        int len = end - start;
        if (len == 3 && (s.startsWith("UTC", start) || s.startsWith("GMT", start))) {
            return 0;
        }
        if (len == 1 && s.charAt(start) == 'Z') {
            return 0;
        }
        if (len >= 3 && (s.charAt(start) == '+' || s.charAt(start) == '-')) {
            String digits = s.substring(start + 1, end).replace(":", "");
            if ((digits.length() == 2 || digits.length() == 4) && digits.chars().allMatch(PrefixTimestamp::isDigit)) {
                int hours = Integer.parseInt(digits.substring(0, 2));
                int minutes = digits.length() == 4 ? Integer.parseInt(digits.substring(2)) : 0;
                int sign = s.charAt(start) == '-' ? -1 : 1;
                return sign * ZoneOffset.ofHoursMinutes(hours, minutes).getTotalSeconds();
            }
        }
        return null;
    }

    private static boolean digits(String s, int p, int n) {
        for (int k = 0; k < n; k++) {
            if (!isDigit(s.charAt(p + k))) {
                return false;
            }
        }
        return true;
    }

    private static int num(String s, int p, int n) {
        int v = 0;
        for (int k = 0; k < n; k++) {
            v = v * 10 + (s.charAt(p + k) - '0');
        }
        return v;
    }

    static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }
}
