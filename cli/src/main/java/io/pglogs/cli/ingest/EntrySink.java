package io.pglogs.cli.ingest;

import io.pglogs.forwarder.ForwardResult;
import io.pglogs.forwarder.Forwarder;
import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.cloudwatch.SubscriptionPayload;
import io.pglogs.forwarder.dynamo.Deadline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects events per log group and stream into payloads and hands each to the forwarder's own code, exactly as a
 * subscription delivery is handled (same parsing, redaction, keys and retries), or only parses them (dry run).
 */
public final class EntrySink {
    private static final int PAYLOAD = 1_000;
    private static final Duration PER_PAYLOAD = Duration.ofMinutes(5);

    private record Source(String group, String stream) {
    }

    private final Forwarder forwarder;
    private final boolean dryRun;
    private final AlreadyStored alreadyStored;
    private final Map<Source, List<LogEvent>> pending = new LinkedHashMap<>();
    private long entries;
    private long written;
    private long unknown;
    private long redacted;
    private long skipped;
    private Instant expiredBefore;
    private int ttlDays;
    private long expired;
    /** Told of the spans of entries found already stored, per instance; null: nobody listens. */
    private java.util.function.BiConsumer<String, java.util.SortedSet<Long>> foundStored;

    public EntrySink(Forwarder forwarder, boolean dryRun) {
        this(forwarder, dryRun, null);
    }

    /**
     * Entries whose own time is before {@code cutoff} (now minus the table's TTL) are already past their expiry: the
     * table would hide them from every query and DynamoDB delete them, so they are counted instead of written.
     */
    public EntrySink expiringBefore(Instant cutoff, int ttlDays) {
        this.expiredBefore = cutoff.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        this.ttlDays = ttlDays;
        return this;
    }

    /**
     * Tells {@code spans} the ten-minute spans ({@link io.pglogs.forwarder.dynamo.ItemContract#compactSpan}) of the
     * entries skipped as already stored, per instance: a re-run rolls them up too (TableWriter#foundStored).
     */
    public EntrySink tellingStoredSpans(java.util.function.BiConsumer<String, java.util.SortedSet<Long>> spans) {
        this.foundStored = spans;
        return this;
    }

    /** @param alreadyStored when set, entries the table already holds under other keys are skipped and counted */
    public EntrySink(Forwarder forwarder, boolean dryRun, AlreadyStored alreadyStored) {
        this.forwarder = forwarder;
        this.dryRun = dryRun;
        this.alreadyStored = alreadyStored;
    }

    public void add(String group, String stream, LogEvent event) throws InterruptedException {
        if (expiredBefore != null && event.timestamp() < expiredBefore.toEpochMilli()) {
            entries++;
            expired++;
            return;
        }
        Source source = new Source(group, stream);
        List<LogEvent> events = pending.computeIfAbsent(source, s -> new ArrayList<>(PAYLOAD));
        events.add(event);
        entries++;
        if (events.size() >= PAYLOAD) {
            write(source, pending.remove(source));
        }
    }

    /** Writes what is pending; once this returns every entry counted so far is stored (dry run: parsed). */
    public void flush() throws InterruptedException {
        for (Map.Entry<Source, List<LogEvent>> e : pending.entrySet()) {
            write(e.getKey(), e.getValue());
        }
        pending.clear();
    }

    private void write(Source source, List<LogEvent> events) throws InterruptedException {
        SubscriptionPayload payload = SubscriptionPayload.ofEvents(null, source.group(), source.stream(), events);
        if (dryRun) {
            Forwarder.Parsed parsed = forwarder.parse(payload);
            unknown += parsed.unknown();
            redacted += parsed.redacted();
            return;
        }
        if (alreadyStored != null) {
            Forwarder.Parsed parsed = forwarder.parse(payload);
            java.util.Set<Integer> stored = alreadyStored.find(parsed.source().instance(), parsed.items());
            if (!stored.isEmpty()) {
                skipped += stored.size();
                if (foundStored != null && parsed.source().instance() != null) {
                    java.util.SortedSet<Long> spans = new java.util.TreeSet<>();
                    for (int i : stored) {
                        spans.add(io.pglogs.forwarder.dynamo.ItemContract.compactSpan(
                                parsed.items().get(i).item().get(io.pglogs.forwarder.dynamo.ItemContract.TS).s()));
                    }
                    foundStored.accept(parsed.source().instance(), spans);
                }
                List<LogEvent> rest = new ArrayList<>(events.size() - stored.size());
                for (int i = 0; i < events.size(); i++) {
                    if (!stored.contains(i)) {
                        rest.add(events.get(i));
                    }
                }
                if (rest.isEmpty()) {
                    return;
                }
                payload = new SubscriptionPayload(SubscriptionPayload.DATA_MESSAGE, null, source.group(),
                        source.stream(), rest, List.of(), false);
            }
        }
        ForwardResult r = forwarder.forward(payload, Deadline.after(PER_PAYLOAD));
        written += r.written();
        unknown += r.unknown();
        redacted += r.redacted();
    }

    public long entries() {
        return entries;
    }

    public long written() {
        return written;
    }

    public long unknown() {
        return unknown;
    }

    public long redacted() {
        return redacted;
    }

    /** Entries not written because they were already past the table's TTL. */
    public long expired() {
        return expired;
    }

    /** Entries not written because the table already held them (same instance, second, pid and message). */
    public long skipped() {
        return skipped;
    }

    /** One line for the end of a run. */
    public String summary(String verb, Progress progress) {
        return String.format(java.util.Locale.ROOT, "%s %,d entries (%,d unparsed kept whole, %,d with a password "
                        + "redacted) in %.1f s, %,.0f entries/s%s%s", verb, dryRun ? entries : written, unknown,
                redacted, progress.seconds(), progress.rate(entries), dryRun ? " (dry run: nothing written)" : "",
                alreadyStored == null ? "" : String.format(java.util.Locale.ROOT, "; %,d already stored (same "
                        + "second, pid and message) skipped", skipped))
                + (expired == 0 ? "" : String.format(java.util.Locale.ROOT, "; %,d older than the table's %d-day "
                        + "TTL (before %s) not written: they would be expired already, hidden from query and deleted",
                        expired, ttlDays, expiredBefore));
    }
}
