package io.pglogs.cli.app;

import io.pglogs.cli.ingest.Progress;
import io.pglogs.cli.query.ClusterMembers;
import io.pglogs.cli.query.Filters;
import io.pglogs.cli.query.QueryStats;
import io.pglogs.cli.query.ReportReader;
import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.report.Report;
import io.pglogs.report.ReportBuilder;
import io.pglogs.report.Sources;
import java.time.Instant;
import java.util.List;

/**
 * {@code pglogs report}: counts a window from the summaries written at ingest where they serve and from entries where
 * they must ({@link ReportReader}), or from entries only as {@link Queries} reads them (the same instance selection,
 * both storage formats, expired entries hidden), aggregated as they stream in, in bounded memory
 * ({@link ReportBuilder}). The report says which ({@link Sources}).
 */
public final class Reports {
    /**
     * @param instances   those named; empty: every instance with entries in the window (unless a cluster is named)
     * @param cluster     an Aurora cluster whose instances to read, or null
     * @param concurrency Query requests in flight at once
     * @param summaries   whether summaries may be used (filters other than the instances, and a {@code top} above
     *                    {@link ReportBuilder#SUMMARY_EVENTS}, read entries anyway)
     */
    public record Request(List<String> instances, String cluster, Instant from, Instant until, Filters filters,
                          ReportBuilder.Options options, int concurrency, boolean summaries) {
        public Request(List<String> instances, String cluster, Instant from, Instant until, Filters filters,
                       ReportBuilder.Options options, int concurrency) {
            this(instances, cluster, from, until, filters, options, concurrency, true);
        }
    }

    /**
     * @param report    what was found
     * @param instances instances read
     * @param read      what reading cost (items DynamoDB read and returned, queries, time) and the named instances the
     *                  table has never seen
     */
    public record Result(Report report, int instances, Queries.Result read, UnknownInstance unknownCluster) {
        public Result(Report report, int instances, Queries.Result read) {
            this(report, instances, read, null);
        }
    }

    private final Session session;
    private final Console console;

    private Reports(Session session, Console console) {
        this.session = session;
        this.console = console;
    }

    public static Reports of(Session session, Console console) {
        return new Reports(session, console);
    }

    private UnknownInstance unknownCluster(String cluster, Instant now) {
        int ttlDays = session.table().map(t -> t.tags().ttlDays()).orElse(
                io.pglogs.forwarder.dynamo.ItemContract.DEFAULT_TTL_DAYS);
        List<String> known = ClusterMembers.known(session.aws().dynamoDb(), session.tableName(),
                now.minus(java.time.Duration.ofDays(ttlDays)), now);
        return known.contains(cluster) ? null : UnknownInstance.of(cluster, known);
    }

    public Result report(Request request, Instant now) {
        ReportBuilder builder = new ReportBuilder(request.options(), request.from(), request.until());
        List<String> instances = request.instances();
        if (request.cluster() != null) {
            instances = ClusterMembers.of(session.aws().dynamoDb(), session.tableName(), request.cluster(),
                    request.from(), request.until());
            if (instances.isEmpty()) {
                // No member has entries in the window: an empty report, not every instance's; and when no catalogue
                // item names the cluster over the days entries are kept, a typo rather than a quiet window.
                return new Result(builder.build(), 0, new Queries.Result(0, 0, new io.pglogs.cli.query.QueryStats(),
                        0, List.of()), unknownCluster(request.cluster(), now));
            }
        }
        String entriesOnly = !request.summaries() ? Sources.NO_SUMMARIES
                : !request.filters().none() ? Sources.FILTERED
                : request.options().top() > ReportBuilder.SUMMARY_EVENTS ? Sources.TOP_ABOVE_SUMMARY_EVENTS : null;
        if (entriesOnly == null) {
            return fromSummaries(request, instances, now);
        }
        Progress progress = new Progress(console.err(), console.tty(), console.quiet());
        long from = request.from().toEpochMilli();
        double span = Math.max(1, request.until().toEpochMilli() - from);
        Queries.Sink sink = new Queries.Sink() {
            private long rows;

            @Override
            public void start() {
            }

            @Override
            public void row(LogRow row) {
                builder.add(row);
                rows++;
                if ((rows & 1023) == 0) {
                    progress.update("reading " + row.ts().substring(0, 16), rows,
                            (Instant.parse(row.ts()).toEpochMilli() - from) / span);
                }
            }
        };
        Queries.Result read;
        try {
            read = Queries.of(session).read(new Queries.Request(instances, request.from(), request.until(),
                    request.filters(), false, null, request.concurrency(), null), now, sink);
        } finally {
            progress.clear();
        }
        return new Result(builder.build().withSources(Sources.entriesOnly(read.entries(), entriesOnly)),
                read.instances(), read);
    }

    private Result fromSummaries(Request request, List<String> instances, Instant now) {
        long started = System.nanoTime();
        Progress progress = new Progress(console.err(), console.tty(), console.quiet());
        ReportReader.Read read;
        QueryStats stats;
        try (ReportReader reader = new ReportReader(session.aws().dynamoDb(), session.tableName(), session.layout(),
                request.concurrency())) {
            read = reader.read(instances, request.from(), request.until(), request.options(), now,
                    (day, entries, share) -> progress.update("reading " + day, entries, share));
            stats = reader.stats();
        } finally {
            progress.clear();
        }
        Report report = read.builder().build().withSources(read.sources());
        java.util.Set<String> counted = new java.util.HashSet<>();
        report.overview().instances().forEach(i -> counted.add(i.name()));
        List<UnknownInstance> unknown = Queries.of(session).unknown(instances.stream()
                .filter(i -> !counted.contains(i)).toList(), now);
        long entries = read.sources().read() + read.sources().summarised();
        return new Result(report, read.instances(), new Queries.Result((int) Math.min(Integer.MAX_VALUE, entries),
                read.instances(), stats, (System.nanoTime() - started) / 1_000_000, unknown));
    }
}
