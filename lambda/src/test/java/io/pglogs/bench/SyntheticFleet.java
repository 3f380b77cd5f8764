package io.pglogs.bench;

import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.cloudwatch.SubscriptionPayload;
import io.pglogs.forwarder.parse.LogFileSplitter;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A fleet of RDS instances logging at a steady rate, made from a real server's log (the bench corpus): instance
 * {@code i} logs the corpus's entries in a loop, starting at its own offset into it (so the instances' payloads differ),
 * one entry every {@code 1000 / linesPerSecondEach} ms from the fleet's start plus a phase of its own (instances do not
 * log in lockstep). Each entry's {@code %t} prefix is rewritten to its synthetic time; its event carries that time in
 * milliseconds and a 56-digit id as CloudWatch makes them (unique per event, starting with the time: the scheme of
 * {@link io.pglogs.testing.Corpus#asEvents}). A "line" is a log event, i.e. one entry (its DETAIL or a multi-line
 * statement stay inside it, as RDS sends them). Payloads are P consecutive events of one instance's stream, as
 * CloudWatch batches a stream.
 */
final class SyntheticFleet {
    private static final Pattern STAMP = Pattern.compile("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC");
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private final List<String> texts;
    private final boolean[] stamped;
    private final int instances;
    private final long start;
    private final long intervalMillis;

    /**
     * @param corpus           the real server's entries
     * @param instances        instances in the fleet
     * @param linesPerSecondAll the fleet's rate in all
     * @param start            when every instance's first entry is logged (give or take its phase)
     */
    SyntheticFleet(List<LogFileSplitter.RawEntry> corpus, int instances, int linesPerSecondAll, Instant start) {
        this.texts = new ArrayList<>(corpus.size());
        this.stamped = new boolean[corpus.size()];
        for (int i = 0; i < corpus.size(); i++) {
            String text = corpus.get(i).text();
            texts.add(text);
            stamped[i] = STAMP.matcher(text).find();
        }
        this.instances = instances;
        this.start = start.toEpochMilli();
        double each = (double) linesPerSecondAll / instances;
        this.intervalMillis = Math.round(1000 / each);
        if (intervalMillis * linesPerSecondAll != 1000L * instances) {
            throw new IllegalArgumentException(linesPerSecondAll + " lines/s over " + instances
                    + " instances is not a whole number of milliseconds between lines");
        }
    }

    int instances() {
        return instances;
    }

    long intervalMillis() {
        return intervalMillis;
    }

    long startMillis() {
        return start;
    }

    static String instanceName(int i) {
        // As long as a typical RDS identifier ("orders-prod-db-07"): the name is in every key and entry item.
        return String.format("pglogs-fleet-db-%03d", i);
    }

    String logGroup(int instance) {
        return LogSource.instanceLogGroup(instanceName(instance));
    }

    String logStream(int instance) {
        return instanceName(instance) + ".0";
    }

    /** Instance {@code i}'s phase: spread over the interval, so the fleet's lines arrive evenly. */
    private long phase(int instance) {
        return instance * intervalMillis / instances;
    }

    /** When instance {@code i} logs its line {@code n} (epoch ms). */
    long timeOf(int instance, long n) {
        return start + phase(instance) + n * intervalMillis;
    }

    /** The first line instance {@code i} logs at or after {@code millis}. */
    long lineAt(int instance, long millis) {
        long since = millis - start - phase(instance);
        return since <= 0 ? 0 : (since + intervalMillis - 1) / intervalMillis;
    }

    LogEvent event(int instance, long n) {
        long millis = timeOf(instance, n);
        int at = (int) Math.floorMod((long) instance * texts.size() / instances + n, (long) texts.size());
        String text = texts.get(at);
        if (stamped[at]) {
            text = FORMAT.format(LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC))
                    + text.substring(19);
        }
        String id = String.format("%019d%05d%032d", millis, instance + 1, n);
        return new LogEvent(id, millis, text);
    }

    /**
     * The first line of the payload of P lines holding line {@code n}: an instance's payloads are cut every P lines,
     * from an offset of its own (1 to P - 1 lines). CloudWatch's batches do not start on the hour; cut from the
     * fleet's midnight start, payloads of 20, 100, 500 or 2,000 lines (4 to 400 s, dividing an hour) would, and never
     * span two hours.
     */
    long payloadStart(int instance, long n, int p) {
        long offset = p == 1 ? 0 : 1 + Math.floorMod(instance * 7919L, p - 1);
        return n - Math.floorMod(n - offset, (long) p);
    }

    /** Lines {@code [first, first + count)} of instance {@code i}, as one CloudWatch subscription payload. */
    SubscriptionPayload payload(int instance, long first, int count) {
        List<LogEvent> events = new ArrayList<>(count);
        for (long n = first; n < first + count; n++) {
            events.add(event(instance, n));
        }
        return SubscriptionPayload.ofEvents("123456789012", logGroup(instance), logStream(instance), events);
    }

    /** The fleet's entries in a span of time: every instance's lines in {@code [from, until)}. */
    long linesBetween(int instance, long from, long until) {
        return Math.max(0, lineAt(instance, until) - lineAt(instance, from));
    }
}
