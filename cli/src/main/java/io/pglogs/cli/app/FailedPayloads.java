package io.pglogs.cli.app;

import io.pglogs.cli.failed.FailedRecord;
import io.pglogs.cli.failed.FailureQueue;
import io.pglogs.forwarder.cloudwatch.BadPayloadException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import software.amazon.awssdk.services.sqs.model.Message;

/** The payloads waiting in an environment's failure queue, read and handed straight back: nothing is removed. */
public final class FailedPayloads {
    /**
     * One payload, for --output json; times in ISO-8601.
     *
     * @param unredrivable why redrive can never store it (its event cannot be decoded); null when it can try
     */
    public record Payload(String messageId, String failedAt, String condition, String error, String logGroup,
                          String unredrivable) {
    }

    /** @param queue null when the environment has no failure queue */
    public record Report(String queue, long count, String oldest, String newest, Map<String, Integer> logGroups,
                         String firstError, List<Payload> payloads) {
        /** The payloads read that redrive can never store. */
        public List<Payload> unredrivable() {
            return payloads.stream().filter(p -> p.unredrivable() != null).toList();
        }
    }

    private final Session session;

    private FailedPayloads(Session session) {
        this.session = session;
    }

    public static FailedPayloads of(Session session) {
        return new FailedPayloads(session);
    }

    /** @param limit read at most this many payloads; the count covers them all */
    public Report show(int limit) {
        FailureQueue queue = FailureQueue.find(session.aws().lambda(), session.aws().sqs(), session.functionName())
                .orElse(null);
        if (queue == null) {
            return new Report(null, 0, null, null, Map.of(), null, List.of());
        }
        long depth = queue.depth();
        List<Message> messages = queue.read(limit);
        try {
            return report(queue.name(), Math.max(depth, messages.size()), messages);
        } finally {
            queue.release(messages);
        }
    }

    /** The payloads oldest first: the first error is the one that started it. */
    private static Report report(String queue, long count, List<Message> messages) {
        List<FailedRecord> records = new ArrayList<>(messages.stream().map(FailedRecord::of).toList());
        records.sort(Comparator.comparing(FailedRecord::failedAt, Comparator.nullsLast(Comparator.naturalOrder())));
        List<Payload> payloads = new ArrayList<>();
        Map<String, Integer> groups = new TreeMap<>();
        for (FailedRecord r : records) {
            String group = r.logGroup();
            groups.merge(group, 1, Integer::sum);
            payloads.add(new Payload(r.messageId(), iso(r.failedAt()), r.condition(), r.error(), group,
                    unredrivable(r)));
        }
        List<Instant> times = records.stream().map(FailedRecord::failedAt).filter(Objects::nonNull).toList();
        String first = records.stream().filter(r -> r.error() != null).findFirst()
                .map(r -> (r.condition() == null ? "" : r.condition() + ": ") + r.error()).orElse(null);
        return new Report(queue, count, times.isEmpty() ? null : iso(times.get(0)),
                times.isEmpty() ? null : iso(times.get(times.size() - 1)), groups, first, payloads);
    }

    /** Redrive replays the decoded event: one the forwarder's decoder refuses will fail however often it runs. */
    private static String unredrivable(FailedRecord r) {
        try {
            r.decode();
            return null;
        } catch (BadPayloadException e) {
            return e.getMessage();
        }
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}
