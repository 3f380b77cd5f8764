package io.pglogs.report;

import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.LogRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The Errors section as entries come: totals exact, messages in a bounded {@link TopK}. */
final class ErrorTally {
    static final Set<String> SEVERITIES = Set.of("WARNING", "ERROR", "FATAL", "PANIC");

    /** One normalised message; its sample takes the DETAIL and STATEMENT that follow it. */
    static final class Occurrences implements TopK.Group<Occurrences>, Companion {
        final String severity;
        final String message;
        String sqlstateClass = "";
        long count;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        String sample;
        String detail;
        String statement;
        String instance;

        Occurrences(String severity, String message) {
            this.severity = severity;
            this.message = message;
        }

        @Override
        public long count() {
            return count;
        }

        @Override
        public void merge(Occurrences other) {
            count += other.count;
            if (other.first < first) {
                first = other.first;
                sample = other.sample;
                detail = other.detail;
                statement = other.statement;
                instance = other.instance;
            }
            last = Math.max(last, other.last);
            if (sqlstateClass.isEmpty()) {
                sqlstateClass = other.sqlstateClass;
            }
        }

        @Override
        public void companion(String field, String text, String fingerprint) {
            if ("DETAIL".equals(field) && detail == null) {
                detail = text;
            } else if ("STATEMENT".equals(field) && statement == null) {
                statement = text;
            }
        }
    }

    final TopK<String, Occurrences> groups;
    final HourCounts hours = new HourCounts();
    final Map<String, long[]> bySeverity = new HashMap<>();
    final Map<String, long[]> byClass = new HashMap<>();
    long count;

    ErrorTally(int capacity) {
        groups = new TopK<>(capacity);
    }

    /** Counts an error; returns what takes its companion lines (the group's sample), or null. */
    Companion add(LogRow row, String severity, long at) {
        count++;
        hours.add(at);
        bySeverity.computeIfAbsent(severity, k -> new long[1])[0]++;
        String cls = row.text(ItemContract.SQLSTATE_CLASS);
        byClass.computeIfAbsent(cls == null ? "" : cls, k -> new long[1])[0]++;
        String message = Rows.beforeFolded(row.message());
        String normalised = ErrorMessages.normalise(message);
        TopK.Slot<String, Occurrences> slot = groups.slot(severity + ":  " + normalised,
                k -> new Occurrences(severity, normalised));
        Occurrences o = slot.value();
        o.count++;
        o.first = Math.min(o.first, at);
        o.last = Math.max(o.last, at);
        if (o.sqlstateClass.isEmpty() && cls != null) {
            o.sqlstateClass = cls;
        }
        groups.added(slot);
        if (o.sample != null) {
            return null;
        }
        o.sample = message;
        o.instance = row.instance();
        Companion.folded(row.message(), o);
        return o;
    }

    void merge(ErrorTally o) {
        count += o.count;
        hours.merge(o.hours);
        ReportBuilder.add(bySeverity, o.bySeverity);
        ReportBuilder.add(byClass, o.byClass);
        groups.merge(o.groups);
    }

    Errors build(int top) {
        List<Errors.SqlStateClassCount> classes = new ArrayList<>();
        byClass.forEach((k, v) -> classes.add(new Errors.SqlStateClassCount(k, SqlStateNames.of(k), v[0])));
        classes.sort(Comparator.comparingLong((Errors.SqlStateClassCount c) -> -c.count())
                .thenComparing(Errors.SqlStateClassCount::sqlstateClass));
        List<ErrorGroup> messages = groups.top(top, Comparator.<TopK.Slot<String, Occurrences>>comparingLong(
                s -> -s.value().count).thenComparing(TopK.Slot::key)).stream().map(s -> {
                    Occurrences o = s.value();
                    return new ErrorGroup(o.severity, o.sqlstateClass, o.message, o.count, s.uncounted(),
                            Instant.ofEpochMilli(o.first), Instant.ofEpochMilli(o.last), o.sample, o.detail,
                            o.statement, o.instance);
                }).toList();
        return new Errors(count, NameCounts.of(bySeverity), List.copyOf(classes), messages, groups.folded(),
                hours.hourly());
    }
}
