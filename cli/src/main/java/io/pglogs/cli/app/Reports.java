package io.pglogs.cli.app;

import io.pglogs.cli.ingest.Progress;
import io.pglogs.cli.query.ClusterMembers;
import io.pglogs.cli.query.Filters;
import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.report.Report;
import io.pglogs.report.ReportBuilder;
import java.time.Instant;
import java.util.List;

/**
 * {@code pglogs report}: reads a window's entries as {@link Queries} does (the same instance selection, both storage
 * formats, expired entries hidden) and aggregates them as they stream in, in bounded memory ({@link ReportBuilder}).
 */
public final class Reports {
    /**
     * @param instances   those named; empty: every instance with entries in the window (unless a cluster is named)
     * @param cluster     an Aurora cluster whose instances to read, or null
     * @param concurrency Query requests in flight at once
     */
    public record Request(List<String> instances, String cluster, Instant from, Instant until, Filters filters,
                          ReportBuilder.Options options, int concurrency) {
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
        return new Result(builder.build(), read.instances(), read);
    }
}
