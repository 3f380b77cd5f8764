package io.pglogs.forwarder;

import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.cloudwatch.SubscriptionPayload;
import io.pglogs.forwarder.dynamo.BatchWriter;
import io.pglogs.forwarder.dynamo.Deadline;
import io.pglogs.forwarder.dynamo.ItemFactory;
import io.pglogs.forwarder.dynamo.WriteIncompleteException;
import io.pglogs.forwarder.parse.LogEntry;
import io.pglogs.forwarder.parse.PostgresLogParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Parses the events of one decoded payload into items and writes them. Valid events are written even when others in
 * the same payload were rejected; the invocation then still fails so the payload is kept for inspection.
 */
public final class Forwarder {
    private final PostgresLogParser parser = new PostgresLogParser();
    private final ItemFactory items;
    private final BatchWriter writer;
    private final Consumer<String> log;

    public Forwarder(ItemFactory items, BatchWriter writer, Consumer<String> log) {
        this.items = items;
        this.writer = writer;
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
            return new ForwardResult(payload.messageType(), payload.logGroup(), null, 0, 0, 0, 0, 0, 0, 0, 0, false,
                    elapsedMillis(start));
        }
        if (payload.invalidUtf8Replaced()) {
            log.accept("pglogs-forwarder: payload from " + payload.logGroup()
                    + " held invalid UTF-8; the bad bytes are stored as U+FFFD");
        }
        Parsed parsed = parse(payload);
        LogSource source = parsed.source();
        List<ItemFactory.Built> built = parsed.items();
        List<Map<String, AttributeValue>> toWrite = new ArrayList<>(built.size() + 1);
        for (ItemFactory.Built b : built) {
            toWrite.add(b.item());
        }
        if (built.isEmpty() && payload.rejected().isEmpty()) {
            log.accept("pglogs-forwarder: empty batch from " + payload.logGroup() + "; nothing to write");
        }
        int catalog = addCatalogItems(source, built, toWrite);
        BatchWriter.Report report;
        try {
            report = toWrite.isEmpty() ? new BatchWriter.Report(0, 0, 0, 0) : writer.write(toWrite, deadline);
        } catch (WriteIncompleteException e) {
            throw new ForwardingFailedException(e.getMessage() + " (" + source.logGroup() + "); Lambda will retry");
        }
        if (!payload.rejected().isEmpty()) {
            throw new ForwardingFailedException(payload.rejected().size() + " of "
                    + (payload.rejected().size() + built.size()) + " events from " + payload.logGroup()
                    + " rejected (" + String.join("; ", payload.rejected().subList(0,
                            Math.min(3, payload.rejected().size())))
                    + "); the other " + (report.written() - catalog) + " were written");
        }
        return new ForwardResult(payload.messageType(), payload.logGroup(), source.instance(), built.size(),
                report.written() - catalog, report.duplicateKeys(), 0, parsed.unknown(), parsed.redacted(),
                parsed.truncated(), report.retries(),
                payload.invalidUtf8Replaced(), elapsedMillis(start));
    }

    /** One catalogue item per day the payload's entries fall on, so readers find the instance without a Scan. */
    private int addCatalogItems(LogSource source, List<ItemFactory.Built> built,
                                List<Map<String, AttributeValue>> toWrite) {
        java.util.Set<String> days = new java.util.TreeSet<>();
        for (ItemFactory.Built b : built) {
            days.add(b.item().get("ts").s().substring(0, 10));
        }
        for (String day : days) {
            toWrite.add(items.catalogItem(source.instance(), source.cluster(), java.time.LocalDate.parse(day)));
        }
        return days.size();
    }

    private static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
