package io.pglogs.cli.status;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

/**
 * Lambda's published schedule for its Java runtimes (docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html): the
 * day each is deprecated (no more security patches) and the day Lambda stops accepting updates to functions on it.
 * Status compares the deployed function's runtime with these dates; a runtime missing here is newer than this table
 * or not Java, and is left alone.
 */
public final class LambdaRuntimes {
    /** What the collectors' Terraform deploys unless told otherwise (variable runtime). */
    static final String DEPLOYED_BY_DEFAULT = "java21";

    /** How long before the deprecation day status starts saying it is coming. */
    static final int NOTICE_DAYS = 180;

    /** @param updatesBlocked null where the schedule no longer says */
    record Schedule(String os, LocalDate deprecated, LocalDate updatesBlocked) {
    }

    private static final Map<String, Schedule> JAVA = Map.of(
            "java8", new Schedule("Amazon Linux", LocalDate.of(2024, 1, 8), null),
            "java8.al2", new Schedule("Amazon Linux 2", LocalDate.of(2026, 6, 30), LocalDate.of(2026, 8, 31)),
            "java11", new Schedule("Amazon Linux 2", LocalDate.of(2026, 6, 30), LocalDate.of(2026, 8, 31)),
            "java17", new Schedule("Amazon Linux 2", LocalDate.of(2026, 6, 30), LocalDate.of(2026, 8, 31)),
            "java21", new Schedule("Amazon Linux 2023", LocalDate.of(2029, 6, 30), LocalDate.of(2029, 8, 31)),
            "java25", new Schedule("Amazon Linux 2023", LocalDate.of(2029, 6, 30), LocalDate.of(2029, 8, 31)));

    private LambdaRuntimes() {
    }

    /** The date the runtime is (or was) deprecated, if this table knows the runtime. */
    public static Optional<LocalDate> endOfLife(String runtime) {
        return Optional.ofNullable(runtime).map(JAVA::get).map(Schedule::deprecated);
    }

    /** A problem for status when the runtime is past its end of life on {@code today}. */
    public static Optional<String> problem(String function, String runtime, LocalDate today) {
        Schedule s = runtime == null ? null : JAVA.get(runtime);
        if (s == null || today.isBefore(s.deprecated())) {
            return Optional.empty();
        }
        String updates = s.updatesBlocked() == null ? "Lambda no longer lets functions be created on it"
                : today.isBefore(s.updatesBlocked()) ? "Lambda blocks updates to it from " + s.updatesBlocked()
                : "Lambda has blocked updates to it since " + s.updatesBlocked();
        String fix = runtime.equals(DEPLOYED_BY_DEFAULT)
                ? "set the collectors' runtime variable to a supported runtime"
                : "pglogs start deploys " + DEPLOYED_BY_DEFAULT;
        return Optional.of("function " + function + " runs on " + runtime + " (" + s.os() + "), past its end of life "
                + "since " + s.deprecated() + "; " + updates + " (" + fix + ")");
    }

    /** Where a runtime stands on a day. */
    public enum Support {
        SUPPORTED("supported"), ENDING("ending"), ENDED("ended");

        private final String label;

        Support(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Ending: less than {@link #NOTICE_DAYS} before the deprecation day, for people to plan the move. */
    public static Optional<Support> support(String runtime, LocalDate today) {
        Schedule s = runtime == null ? null : JAVA.get(runtime);
        if (s == null) {
            return Optional.empty();
        }
        if (!today.isBefore(s.deprecated())) {
            return Optional.of(Support.ENDED);
        }
        return Optional.of(ChronoUnit.DAYS.between(today, s.deprecated()) <= NOTICE_DAYS ? Support.ENDING
                : Support.SUPPORTED);
    }
}
