package io.pglogs.cli.logs;

import java.util.List;
import java.util.stream.Collectors;

/** The retention periods CloudWatch Logs accepts (PutRetentionPolicy), in days. */
public final class Retention {
    public static final List<Integer> ACCEPTED = List.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
            1096, 1827, 2192, 2557, 2922, 3288, 3653);
    public static final int DEFAULT_DAYS = 14;

    private Retention() {
    }

    public static String accepted() {
        return ACCEPTED.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /** "14 days", or "never expires" for a group without retention. */
    public static String describe(Integer days) {
        return days == null ? "never expires" : days + (days == 1 ? " day" : " days");
    }
}
