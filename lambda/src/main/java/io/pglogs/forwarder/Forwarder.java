package io.pglogs.forwarder;

import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.cloudwatch.SubscriptionPayload;
import io.pglogs.forwarder.dynamo.BatchWriter;
import io.pglogs.forwarder.dynamo.CatalogWriter;
import io.pglogs.forwarder.dynamo.CompactItems;
import io.pglogs.forwarder.dynamo.Deadline;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.ItemFactory;
import io.pglogs.forwarder.dynamo.RollupBumper;
import io.pglogs.forwarder.dynamo.WriteIncompleteException;
import io.pglogs.forwarder.parse.LogEntry;
import io.pglogs.forwarder.parse.PostgresLogParser;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Parses the events of one decoded payload into items and writes them. Valid events are written even when others in
 * the same payload were rejected; the invocation then still fails so the payload is kept for inspection.
 */
public final class Forwarder {
    private final PostgresLogParser parser;
    private final ItemFactory items;
    private final CompactItems compact;
    private final BatchWriter writer;
    private final CatalogWriter catalog;
    private final Consumer<String> log;
    private final Summariser summariser;
    private final Rollups rollups;

    /** {@code writer} and {@code catalog} may be null where nothing is written (dry runs, benchmarks). */
    public Forwarder(PostgresLogParser parser, ItemFactory items, BatchWriter writer, CatalogWriter catalog,
                     Consumer<String> log) {
        this(parser, items, null, writer, catalog, log);
    }

    /** @param compact packs the entries into compact items; null stores one item per entry */
    public Forwarder(PostgresLogParser parser, ItemFactory items, CompactItems compact, BatchWriter writer,
                     CatalogWriter catalog, Consumer<String> log) {
        this(parser, items, compact, writer, catalog, log, new Summariser(items.shards()));
    }

    /**
     * @param summariser makes the payload's summary items, written with its entries (issue 26); null writes none
     *                   (benchmarks comparing the cost of summaries)
     */
    public Forwarder(PostgresLogParser parser, ItemFactory items, CompactItems compact, BatchWriter writer,
                     CatalogWriter catalog, Consumer<String> log, Summariser summariser) {
        // Off the live path unless told otherwise: bumping every span written is always safe, only dearer.
        this(parser, items, compact, writer, catalog, log, summariser,
                writer == null ? Rollups.NONE : Rollups.always(RollupBumper.of(writer)));
    }

    /** @param rollups the path this forwarder serves, and so what it does for rollups after each payload */
    public Forwarder(PostgresLogParser parser, ItemFactory items, CompactItems compact, BatchWriter writer,
                     CatalogWriter catalog, Consumer<String> log, Summariser summariser, Rollups rollups) {
        this.rollups = rollups;
        this.summariser = summariser;
        this.parser = parser;
        this.items = items;
        this.compact = compact;
        this.writer = writer;
        this.catalog = catalog;
        this.log = log;
    }

    /** A payload's items, built but not written, and what was done to them on the way. */
    public record Parsed(LogSource source, List<ItemFactory.Built> items, int unknown, int redacted, int truncated) {
    }

    /** Parses a payload and builds its items without writing them: dry runs and benchmarks stop here. */
    public Parsed parse(SubscriptionPayload payload) {
        LogSource source = LogSource.of(payload.logGroup(), payload.logStream());
        ItemFactory.ForSource factory = items.forSource(source);
        List<ItemFactory.Built> built = new ArrayList<>(payload.events().size());
        int unknown = 0;
        int redacted = 0;
        int truncated = 0;
        for (LogEvent e : payload.events()) {
            LogEntry entry = parser.parse(e.message());
            ItemFactory.Built b = factory.build(e.id(), e.timestamp(), entry);
            built.add(b);
            unknown += entry.isUnknown() ? 1 : 0;
            redacted += b.redacted() ? 1 : 0;
            truncated += b.truncated() ? 1 : 0;
        }
        return new Parsed(source, built, unknown, redacted, truncated);
    }

    public ForwardResult forward(SubscriptionPayload payload, Deadline deadline) throws InterruptedException {
        long start = System.nanoTime();
        if (payload.isControl()) {
            log.accept("pglogs-forwarder: CONTROL_MESSAGE acknowledged for " + payload.logGroup());
            return new ForwardResult(payload.messageType(), payload.logGroup(), null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    false, 0, elapsedMillis(start), 0, 0);
        }
        if (payload.invalidUtf8Replaced()) {
            log.accept("pglogs-forwarder: payload from " + payload.logGroup()
                    + " held invalid UTF-8; the bad bytes are stored as U+FFFD");
        }
        if (payload.loneSurrogatesReplaced() > 0) {
            log.accept("pglogs-forwarder: " + payload.loneSurrogatesReplaced() + " events from " + payload.logGroup()
                    + " held lone UTF-16 surrogates; they are stored as U+FFFD");
        }
        Parsed parsed = parse(payload);
        LogSource source = parsed.source();
        List<ItemFactory.Built> built = parsed.items();
        List<Map<String, AttributeValue>> toWrite = new ArrayList<>(built.size());
        Set<String> days = new TreeSet<>();
        for (ItemFactory.Built b : built) {
            toWrite.add(b.item());
            days.add(b.item().get(ItemContract.TS).s().substring(0, 10));
        }
        if (built.isEmpty() && payload.rejected().isEmpty()) {
            log.accept("pglogs-forwarder: empty batch from " + payload.logGroup() + "; nothing to write");
        }
        // Summaries go in the same write as the entries: the invocation fails unless every item of both is stored,
        // and a retry writes the same keys again, so a payload is never counted twice nor half summarised.
        List<Map<String, AttributeValue>> summaries = summariser == null ? List.of()
                : summariser.summaries(toWrite, source);
        Outcome outcome = compact == null ? writeEntries(toWrite, summaries, source, deadline)
                : writeCompact(toWrite, summaries, source, deadline);
        List<String> refused = new ArrayList<>(payload.rejected());
        refused.addAll(outcome.refused());
        int reduced = outcome.reduced();
        int written = outcome.written();
        // Only now that the summaries are stored: a bump before them could let a rollup be made without them.
        int bumped = bump(source, summaries, deadline);
        // After the entries, on its own: its throttling can neither fail nor delay them.
        catalog.ensure(source, days.stream().map(LocalDate::parse).toList(), summariser != null, deadline, log);
        if (!refused.isEmpty()) {
            throw new ForwardingFailedException(refused.size() + " of " + (payload.rejected().size() + built.size())
                    + " events from " + payload.logGroup() + " rejected (" + String.join("; ",
                            refused.subList(0, Math.min(3, refused.size())))
                    + (refused.size() > 3 ? "; ..." : "") + "); the other " + (written + reduced) + " were written"
                    + (reduced > 0 ? " (" + reduced + " in reduced form)" : "")
                    + summariesRefused(outcome.refusedSummaries()));
        }
        if (!outcome.refusedSummaries().isEmpty()) {
            throw new ForwardingFailedException("the " + (written + reduced) + " events from " + payload.logGroup()
                    + " were written" + summariesRefused(outcome.refusedSummaries()));
        }
        int rolled = roll(source, deadline);
        return new ForwardResult(payload.messageType(), payload.logGroup(), source.instance(), built.size(),
                written + reduced, outcome.summaries(), outcome.duplicateKeys(), 0, parsed.unknown(),
                parsed.redacted(),
                parsed.truncated(), reduced, outcome.retries(),
                payload.invalidUtf8Replaced(), payload.loneSurrogatesReplaced(), elapsedMillis(start), bumped, rolled);
    }

    /**
     * Marks the rollups of the spans the payload's summaries fall in, when a rollup may be made without them (see
     * {@link Rollups}); a bump that cannot be made fails the payload, as an entry that cannot be written does.
     */
    private int bump(LogSource source, List<Map<String, AttributeValue>> summaries, Deadline deadline)
            throws InterruptedException {
        if (rollups.bumper() == null || summaries.isEmpty()) {
            return 0;
        }
        try {
            java.util.SortedSet<Long> spans = rollups.bumper().due(summaries, rollups.bumpsAlways(), deadline);
            int bumped = rollups.bumper().bump(source.instance(), spans, deadline);
            if (rollups.roller() != null) {
                rollups.roller().bumped(source.instance(), spans);
            }
            return bumped;
        } catch (WriteIncompleteException e) {
            throw new ForwardingFailedException(e.getMessage() + " (" + source.logGroup() + "); Lambda will retry");
        }
    }

    /** On the live paths: rolls up the instance's closed spans; never fails the payload, whose items are stored. */
    private int roll(LogSource source, Deadline deadline) {
        if (rollups.roller() == null || source.instance() == null) {
            return 0;
        }
        try {
            return rollups.roller().rollUp(source.instance(), deadline);
        } catch (RuntimeException e) {
            log.accept("pglogs-forwarder: rolling up " + source.instance() + " failed (" + BatchWriter.describe(e)
                    + "); readers use its summaries");
            return 0;
        }
    }

    /**
     * What writing a payload's entries did: entries stored in full and in reduced form, entries dropped as repeated
     * keys, retries, and why entries could not be stored at all.
     */
    private record Outcome(int written, int reduced, int summaries, int duplicateKeys, int retries,
                           List<String> refused, List<String> refusedSummaries) {
    }

    /** The summaries not stored, for the invocation's failure (Lambda then retries the whole payload). */
    private static String summariesRefused(List<String> refused) {
        return refused.isEmpty() ? "" : "; " + refused.size() + " of their summary items not stored ("
                + String.join("; ", refused.subList(0, Math.min(3, refused.size())))
                + (refused.size() > 3 ? "; ..." : "") + ")";
    }

    private Outcome writeEntries(List<Map<String, AttributeValue>> toWrite, List<Map<String, AttributeValue>> summaries,
                                 LogSource source, Deadline deadline) throws InterruptedException {
        BatchWriter.Report report = write(withSummaries(toWrite, summaries), source, deadline);
        List<String> refusedSummaries = new ArrayList<>();
        List<BatchWriter.Rejected> rejected = new ArrayList<>();
        int summariesWritten = summaries.size() - refusedSummaries(report.rejected(), rejected, refusedSummaries,
                source, deadline);
        Stored kept = rejected.isEmpty() ? new Stored(0, List.of()) : storeReduced(rejected, source, deadline);
        // The written count covers the summaries of the first write; those stored reduced were written apart.
        int firstWrite = summaries.size() - (int) report.rejected().stream().filter(r -> ItemContract.isSummary(
                r.item())).count();
        return new Outcome(report.written() - firstWrite, kept.reduced(), summariesWritten,
                report.duplicateKeys(), report.retries(), kept.refused(), refusedSummaries);
    }

    private static List<Map<String, AttributeValue>> withSummaries(List<Map<String, AttributeValue>> items,
                                                                   List<Map<String, AttributeValue>> summaries) {
        if (summaries.isEmpty()) {
            return items;
        }
        List<Map<String, AttributeValue>> all = new ArrayList<>(items.size() + summaries.size());
        all.addAll(items);
        all.addAll(summaries);
        return all;
    }

    /**
     * Sorts DynamoDB's refusals: the payload's items go to {@code items}, refused summaries are written again in
     * {@link ItemFactory#reducedSummary reduced form}; one refused even so is named in {@code refused} (the invocation
     * then fails). Returns how many summaries are not stored.
     */
    private int refusedSummaries(List<BatchWriter.Rejected> all, List<BatchWriter.Rejected> items,
                                 List<String> refused, LogSource source, Deadline deadline)
            throws InterruptedException {
        List<Map<String, AttributeValue>> reduced = new ArrayList<>();
        for (BatchWriter.Rejected r : all) {
            if (ItemContract.isSummary(r.item())) {
                log.accept("pglogs-forwarder: DynamoDB refused the summary of events " + eventId(r.item()) + " to "
                        + r.item().get(ItemContract.LAST_EVENT_ID).s() + " from " + source.logGroup() + " ("
                        + r.reason() + "); storing it in reduced form");
                reduced.add(ItemFactory.reducedSummary(r.item(), r.reason()));
            } else {
                items.add(r);
            }
        }
        if (reduced.isEmpty()) {
            return 0;
        }
        BatchWriter.Report again = write(reduced, source, deadline);
        for (BatchWriter.Rejected r : again.rejected()) {
            refused.add("the summary of events " + eventId(r.item()) + " to "
                    + r.item().get(ItemContract.LAST_EVENT_ID).s() + " refused by DynamoDB even in reduced form: "
                    + r.reason());
        }
        return again.rejected().size();
    }

    /**
     * Packs the entries into compact items and writes those. An item DynamoDB refuses has its entries stored again
     * in {@link ItemFactory#reduced reduced form}, packed anew; entries refused even so are named by event id.
     */
    private Outcome writeCompact(List<Map<String, AttributeValue>> toWrite, List<Map<String, AttributeValue>> summaries,
                                 LogSource source, Deadline deadline) throws InterruptedException {
        CompactItems.Packed packed = compact.pack(toWrite);
        BatchWriter.Report report = write(withSummaries(packed.items(), summaries), source, deadline);
        int written = packed.entries();
        List<String> refusedSummaries = new ArrayList<>();
        List<BatchWriter.Rejected> rejected = new ArrayList<>();
        int summariesWritten = summaries.size() - refusedSummaries(report.rejected(), rejected, refusedSummaries,
                source, deadline);
        List<Map<String, AttributeValue>> reducedEntries = new ArrayList<>();
        for (BatchWriter.Rejected r : rejected) {
            List<Map<String, AttributeValue>> entries = CompactItems.entries(r.item());
            written -= entries.size();
            log.accept("pglogs-forwarder: DynamoDB refused the item of " + entries.size() + " entries from event "
                    + eventId(entries.get(0)) + " from " + source.logGroup() + " (" + r.reason()
                    + "); storing them in reduced form");
            for (Map<String, AttributeValue> e : entries) {
                reducedEntries.add(ItemFactory.reduced(e, r.reason()));
            }
        }
        int reduced = 0;
        List<String> refused = new ArrayList<>();
        if (!reducedEntries.isEmpty()) {
            CompactItems.Packed again = compact.pack(reducedEntries);
            BatchWriter.Report second = write(again.items(), source, deadline);
            reduced = again.entries();
            for (BatchWriter.Rejected r : second.rejected()) {
                List<Map<String, AttributeValue>> entries = CompactItems.entries(r.item());
                reduced -= entries.size();
                for (Map<String, AttributeValue> e : entries) {
                    refused.add("event " + eventId(e) + " refused by DynamoDB even in reduced form: " + r.reason());
                }
            }
        }
        return new Outcome(written, reduced, summariesWritten, packed.duplicates(), report.retries(), refused,
                refusedSummaries);
    }

    private BatchWriter.Report write(List<Map<String, AttributeValue>> toWrite, LogSource source, Deadline deadline)
            throws InterruptedException {
        if (toWrite.isEmpty()) {
            return BatchWriter.Report.NOTHING;
        }
        try {
            return writer.write(toWrite, deadline);
        } catch (WriteIncompleteException e) {
            throw new ForwardingFailedException(e.getMessage() + " (" + source.logGroup() + "); Lambda will retry");
        }
    }

    /** How many refused items were stored in reduced form, and why the others could not be, by event id. */
    private record Stored(int reduced, List<String> refused) {
    }

    /**
     * Items DynamoDB refused are stored again in {@link ItemFactory#reduced reduced form}; one it refuses even so is
     * named by its event id in the invocation's failure, which keeps the payload for the failure destination.
     */
    private Stored storeReduced(List<BatchWriter.Rejected> rejected, LogSource source, Deadline deadline)
            throws InterruptedException {
        List<Map<String, AttributeValue>> reducedItems = new ArrayList<>(rejected.size());
        for (BatchWriter.Rejected r : rejected) {
            log.accept("pglogs-forwarder: DynamoDB refused event " + eventId(r.item()) + " from " + source.logGroup()
                    + " (" + r.reason() + "); storing it in reduced form");
            reducedItems.add(ItemFactory.reduced(r.item(), r.reason()));
        }
        BatchWriter.Report again = write(reducedItems, source, deadline);
        List<String> refused = new ArrayList<>();
        for (BatchWriter.Rejected r : again.rejected()) {
            refused.add("event " + eventId(r.item()) + " refused by DynamoDB even in reduced form: " + r.reason());
        }
        return new Stored(again.written(), refused);
    }

    private static String eventId(Map<String, AttributeValue> item) {
        AttributeValue id = item.get(ItemContract.EVENT_ID);
        return id == null ? item.get(ItemContract.SK).s() : id.s();
    }

    private static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
