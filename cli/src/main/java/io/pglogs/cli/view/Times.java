package io.pglogs.cli.view;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Times as the report views print them: UTC, to the second or the minute. */
final class Times {
    private Times() {
    }

    static String second(Instant t) {
        return t == null ? "-" : t.truncatedTo(ChronoUnit.SECONDS).toString().replace('T', ' ').replace("Z", "");
    }

    static String minute(Instant t) {
        String s = second(t);
        return s.length() >= 16 ? s.substring(0, 16) : s;
    }

    static String hour(Instant t) {
        return minute(t);
    }
}
