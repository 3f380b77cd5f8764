package io.pglogs.cli.query;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times on the command line: relative ({@code 30s}, {@code 10m}, {@code 1h}, {@code 2d}, {@code 1w} ago) or absolute
 * ISO-8601. An absolute time without an offset is UTC, like the stored timestamps; add {@code Z} or {@code +02:00}
 * to say otherwise.
 */
public final class TimeSpec {
    private static final Pattern RELATIVE = Pattern.compile("(\\d+)\\s*(s|m|h|d|w)");

    private TimeSpec() {
    }

    public static Instant parse(String text, Instant now) {
        String t = text.trim();
        Matcher m = RELATIVE.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
            return now.minus(d);
        }
        if (t.equals("now")) {
            return now;
        }
        String iso = t.replace(' ', 'T');
        try {
            return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException e) {
            // no offset: UTC
        }
        try {
            return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // a date alone
        }
        try {
            return LocalDate.parse(iso).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time: use 30s, 10m, 1h, 2d, 1w (ago), now, "
                    + "or ISO-8601 such as 2024-05-01T10:00:00Z (no offset means UTC)");
        }
    }
}
