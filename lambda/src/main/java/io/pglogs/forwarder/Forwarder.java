package io.pglogs.forwarder;

import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.cloudwatch.SubscriptionPayload;
import io.pglogs.forwarder.dynamo.BatchWriter;
import io.pglogs.forwarder.dynamo.CatalogWriter;
import io.pglogs.forwarder.dynamo.CompactItems;
import io.pglogs.forwarder.dynamo.Deadline;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.SummaryItem;
import io.pglogs.forwarder.dynamo.ItemFactory;
import io.pglogs.forwarder.dynamo.RollupBumper;
import io.pglogs.forwarder.dynamo.Roller;
import io.pglogs.forwarder.dynamo.WriteIncompleteException;
import io.pglogs.forwarder.parse.LogEntry;
import io.pglogs.forwarder.parse.PostgresLogParser;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
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
    /** Payloads being written: what {@link #stopInFlight} unmarks and bumps. */
    private final Map<Object, InFlight> inFlight = new java.util.concurrent.ConcurrentHashMap<>();
    /** What a bump after a write cut short may take, past the deadline: within the handler's safety margin. */
    private static final long CUT_BUMP_MS = 400;

    private record InFlight(LogSource source, List<LocalDate> days, List<Map<String, AttributeValue>> entries) {
    }

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
     * @param summariser makes the payload's summary items, written once its entries are stored (issue 26); null
     *                   writes none (summaries off; benchmarks comparing their cost)
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
        Summariser.Summaries summaries = summarise(toWrite, source);
        List<LocalDate> payloadDays = days.stream().map(LocalDate::parse).toList();
        // Entries no summary will count (summaries off, or not made): their days are unmarked before any is stored,
        // so no report trusts a day's summaries while it holds them (second review of issue 26, C).
        boolean unsummarised = summariser == null || summaries == null || !summaries.complete();
        String notUnmarked = unsummarised && catalog != null && !toWrite.isEmpty()
                ? catalog.unmark(source, payloadDays, deadline) : null;
        Outcome outcome;
        Written summaryItems = new Written(0, List.of());
        boolean stored = false;
        Object token = new Object();
        inFlight.put(token, new InFlight(source, payloadDays, toWrite));
        try {
            outcome = compact == null ? writeEntries(toWrite, source, deadline)
                    : writeCompact(toWrite, source, deadline);
            // Summaries in a second write, once every entry is stored: a summary never counts an entry the table
            // does not hold. A retry writes the same keys again, so nothing is counted twice.
            if (outcome.refused().isEmpty() && summaries != null) {
                summaryItems = writeSummaries(summaries.items(), source, deadline);
            }
            stored = true;
        } finally {
            inFlight.remove(token);
            if (!stored) {
                // Whatever cut the write short (an Error too): entries may be stored that no summary counts, in spans
                // whose rollups (from entries, too) may already be made.
                unflag(source, payloadDays);
                bumpCut(source, toWrite);
            }
        }
        List<String> refused = new ArrayList<>(payload.rejected());
        refused.addAll(outcome.refused());
        int reduced = outcome.reduced();
        int written = outcome.written();
        // Events the payload could not even decode are no entries: they leave the summaries exact.
        boolean summarised = summaries != null && summaries.complete() && outcome.refused().isEmpty()
                && summaryItems.refused().isEmpty();
        // Only now that the entries and their summaries are stored: a bump before them could let a rollup be made
        // without them. A bump that cannot be made fails the payload (after the catalogue is seen to).
        ForwardingFailedException bumpFailed = null;
        int bumped = 0;
        try {
            bumped = bump(source, toWrite, deadline);
        } catch (ForwardingFailedException f) {
            bumpFailed = f;
        }
        if (summariser != null && !summarised && !unsummarised) {
            // An entry or a summary refused: the payload fails (Lambda retries it); its days are unmarked meanwhile.
            unflag(source, payloadDays);
        } else if (summarised) {
            // After the entries, on its own: its throttling can neither fail nor delay them.
            catalog.ensure(source, payloadDays, true, deadline, log);
        } else if (notUnmarked != null && catalog != null) {
            // One more try now that the entries are in; failing, the payload fails so Lambda retries it whole.
            notUnmarked = catalog.unmark(source, payloadDays, deadline);
        }
        if (notUnmarked != null && bumpFailed == null) {
            bumpFailed = new ForwardingFailedException(notUnmarked + " after " + toWrite.size() + " events from "
                    + payload.logGroup() + " were written that no summary counts; Lambda will retry");
        }
        if (bumpFailed != null) {
            throw bumpFailed;
        }
        if (!refused.isEmpty()) {
            throw new ForwardingFailedException(refused.size() + " of " + (payload.rejected().size() + built.size())
                    + " events from " + payload.logGroup() + " rejected (" + String.join("; ",
                            refused.subList(0, Math.min(3, refused.size())))
                    + (refused.size() > 3 ? "; ..." : "") + "); the other " + (written + reduced) + " were written"
                    + (reduced > 0 ? " (" + reduced + " in reduced form)" : "")
                    + (summaries == null || outcome.refused().isEmpty() ? "" : "; their summaries were not written"));
        }
        if (!summaryItems.refused().isEmpty()) {
            throw new ForwardingFailedException("the " + (written + reduced) + " events from " + payload.logGroup()
                    + " were written" + summariesRefused(summaryItems.refused()));
        }
        int rolled = roll(source, deadline);
        return new ForwardResult(payload.messageType(), payload.logGroup(), source.instance(), built.size(),
                written + reduced, summaryItems.count(), outcome.duplicateKeys(), 0, parsed.unknown(),
                parsed.redacted(),
                parsed.truncated(), reduced, outcome.retries(),
                payload.invalidUtf8Replaced(), payload.loneSurrogatesReplaced(), elapsedMillis(start), bumped, rolled);
    }

    /**
     * Marks the rollups of the spans the payload's entries fall in, when a rollup may be made without them (see
     * {@link Rollups}); a bump that cannot be made fails the payload, as an entry that cannot be written does.
     */
    private int bump(LogSource source, List<Map<String, AttributeValue>> entries, Deadline deadline)
            throws InterruptedException {
        if (rollups.bumper() == null || entries.isEmpty()) {
            return 0;
        }
        try {
            SortedSet<Long> spans = rollups.bumper().due(entries, rollups.bumpsAlways());
            int bumped = rollups.bumper().bump(source.instance(), spans, RollupBumper.latestExpiry(entries),
                    deadline);
            if (rollups.roller() != null) {
                rollups.roller().bumped(source.instance(), spans);
            }
            rollups.bumped(source.instance(), spans);
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
                    + "); readers use its " + (rollups.roller().source() == Roller.Source.ENTRIES ? "entries"
                    : "summaries"));
            return 0;
        }
    }

    /**
     * The payload's summaries, or null when it gets none: summaries are off, or making them failed. Summaries are
     * derived data: an entry the report's code cannot summarise must not stop the entries from being stored.
     */
    private Summariser.Summaries summarise(List<Map<String, AttributeValue>> toWrite, LogSource source) {
        if (summariser == null) {
            return null;
        }
        try {
            Summariser.Summaries s = summariser.summarise(toWrite, source);
            if (!s.complete()) {
                log.accept("pglogs-forwarder: " + s.unsummarised() + " events from " + source.logGroup()
                        + " summarise above the item limit and are left out of the summaries; their days are read "
                        + "from entries");
            }
            return s;
        } catch (RuntimeException e) {
            log.accept("pglogs-forwarder: ERROR summarising " + toWrite.size() + " events from "
                    + source.logGroup() + " failed (" + e + "); the entries are written without summaries and "
                    + "their days are read from entries");
            return null;
        }
    }

    /**
     * For a process stopped mid-write (a CLI writer's shutdown hook: Ctrl-C, a CI job's timeout): unmarks the
     * instance-days of the payloads being written, whose entries may be stored without their summaries, and bumps
     * their spans' rollups, which may have been made without them. Best effort. Returns how many payloads were in
     * flight.
     */
    public int stopInFlight() {
        List<InFlight> pending = List.copyOf(inFlight.values());
        for (InFlight p : pending) {
            unflag(p.source(), p.days());
            bumpCut(p.source(), p.entries());
        }
        return pending.size();
    }

    /**
     * Best effort, briefly, even past the deadline: the rollups of the spans a write cut short may have stored entries
     * in are marked stale, so no rollup made without those entries stays in use (Lambda's retry, or the command run
     * again, bumps them for sure once its write is whole).
     */
    private void bumpCut(LogSource source, List<Map<String, AttributeValue>> entries) {
        if (rollups.bumper() == null || entries.isEmpty() || source.instance() == null) {
            return;
        }
        Deadline brief = Deadline.after(java.time.Duration.ofMillis(CUT_BUMP_MS));
        try {
            rollups.bumper().bump(source.instance(), rollups.bumper().dueCut(entries, rollups.bumpsAlways(), brief),
                    RollupBumper.latestExpiry(entries), brief);
        } catch (WriteIncompleteException | RuntimeException e) {
            log.accept("pglogs-forwarder: rollups of " + source.instance() + " not marked stale after a write cut "
                    + "short (" + e.getMessage() + "); the payload's retry marks them");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Best effort: the days' catalogue items unmarked; nothing to do where summaries are off. */
    private void unflag(LogSource source, List<LocalDate> days) {
        if (summariser == null || catalog == null) {
            return;
        }
        try {
            catalog.unflag(source, days, log);
        } catch (RuntimeException e) {
            log.accept("pglogs-forwarder: catalogue items for " + source.instance() + " not unmarked (" + e + ")");
        }
    }

    /**
     * What writing a payload's entries did: entries stored in full and in reduced form, entries dropped as repeated
     * keys, retries, and why entries could not be stored at all.
     */
    private record Outcome(int written, int reduced, int duplicateKeys, int retries, List<String> refused) {
    }

    /** Summary items stored, and those DynamoDB refused (a summary has no reduced form: the invocation fails). */
    private record Written(int count, List<String> refused) {
    }

    private Written writeSummaries(List<Map<String, AttributeValue>> summaries, LogSource source, Deadline deadline)
            throws InterruptedException {
        BatchWriter.Report report = write(summaries, source, deadline);
        List<String> refused = new ArrayList<>();
        for (BatchWriter.Rejected r : report.rejected()) {
            SummaryItem s = SummaryItem.of(r.item());
            log.accept("pglogs-forwarder: DynamoDB refused the summary of events " + s.eventId() + " to "
                    + s.lastEventId() + " from " + source.logGroup() + " (" + r.reason() + ")");
            refused.add("the summary of events " + s.eventId() + " to " + s.lastEventId() + " refused by DynamoDB: "
                    + r.reason());
        }
        return new Written(report.written(), refused);
    }

    /** The summaries not stored, for the invocation's failure (Lambda then retries the whole payload). */
    private static String summariesRefused(List<String> refused) {
        return refused.isEmpty() ? "" : "; " + refused.size() + " of their summary items not stored ("
                + String.join("; ", refused.subList(0, Math.min(3, refused.size())))
                + (refused.size() > 3 ? "; ..." : "") + ")";
    }

    private Outcome writeEntries(List<Map<String, AttributeValue>> toWrite, LogSource source, Deadline deadline)
            throws InterruptedException {
        BatchWriter.Report report = write(toWrite, source, deadline);
        Stored kept = report.rejected().isEmpty() ? new Stored(0, List.of())
                : storeReduced(report.rejected(), source, deadline);
        return new Outcome(report.written(), kept.reduced(), report.duplicateKeys(), report.retries(), kept.refused());
    }

    /**
     * Packs the entries into compact items and writes those. An item DynamoDB refuses has its entries stored again
     * in {@link ItemFactory#reduced reduced form}, packed anew; entries refused even so are named by event id.
     */
    private Outcome writeCompact(List<Map<String, AttributeValue>> toWrite, LogSource source, Deadline deadline)
            throws InterruptedException {
        CompactItems.Packed packed = compact.pack(toWrite);
        BatchWriter.Report report = write(packed.items(), source, deadline);
        int written = packed.entries();
        List<Map<String, AttributeValue>> reducedEntries = new ArrayList<>();
        for (BatchWriter.Rejected r : report.rejected()) {
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
        return new Outcome(written, reduced, packed.duplicates(), report.retries(), refused);
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
