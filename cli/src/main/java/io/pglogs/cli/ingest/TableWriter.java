package io.pglogs.cli.ingest;

import io.pglogs.forwarder.Forwarder;
import io.pglogs.forwarder.Rollups;
import io.pglogs.forwarder.Summariser;
import io.pglogs.forwarder.dynamo.BatchWriter;
import io.pglogs.forwarder.dynamo.CatalogWriter;
import io.pglogs.forwarder.dynamo.CompactItems;
import io.pglogs.forwarder.dynamo.StorageFormat;
import io.pglogs.forwarder.dynamo.ItemFactory;
import io.pglogs.forwarder.dynamo.Roller;
import io.pglogs.forwarder.dynamo.RollupBumper;
import io.pglogs.forwarder.parse.LogTimeZone;
import io.pglogs.forwarder.parse.PostgresLogParser;
import io.pglogs.cli.term.Printable;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The forwarder's code as a library: the same items, keys, redaction and retries as the Lambda, with the TTL, shards,
 * redaction, storage format and summaries switch the deployment uses.
 */
public final class TableWriter implements AutoCloseable {
    private final BatchWriter writer;
    private final Forwarder forwarder;
    /** The spans this writer bumped (off the live path, with a table), to roll up once the run is whole. */
    private final WrittenSpans written = new WrittenSpans();
    private final DynamoDbClient ddb;
    private final String table;
    private final DeployedSettings settings;
    private final PrintWriter log;
    private final boolean verbose;
    /** Whether the rollup phase is under way: a stop then says that every entry is stored. */
    private volatile boolean rollingUp;
    /** Unmarks the days of payloads cut short when the process is stopped mid-write; null without a table. */
    private final Thread onStop;

    /** For --dry-run: parses and builds items, and has nothing to write them with. */
    public static TableWriter parseOnly(LogTimeZone zones) {
        return new TableWriter(null, null, DeployedSettings.DEFAULTS, zones, null, false);
    }

    /**
     * A writer off the live path (backfill, import, redrive): every span it writes a summary of has its rollup bumped.
     *
     * @param zones the servers' log_timezone, for zone abbreviations that name several offsets
     */
    public TableWriter(DynamoDbClient ddb, String table, DeployedSettings settings, LogTimeZone zones, PrintWriter log,
                       boolean verbose) {
        this(ddb, table, settings, zones, log, verbose, false);
    }

    /**
     * A writer on the live path ({@code pglogs local}'s delivery loop, which stands in for the subscription): it bumps
     * only late summaries' spans and rolls up closed spans after each payload, as the Lambda does.
     */
    public static TableWriter live(DynamoDbClient ddb, String table, DeployedSettings settings, LogTimeZone zones,
                                   PrintWriter log, boolean verbose) {
        return new TableWriter(ddb, table, settings, zones, log, verbose, true);
    }

    private TableWriter(DynamoDbClient ddb, String table, DeployedSettings settings, LogTimeZone zones, PrintWriter log,
                        boolean verbose, boolean live) {
        this.writer = ddb == null ? null : new BatchWriter(ddb, table, 8);
        ItemFactory items = new ItemFactory(settings.shards(), settings.ttlDays(), settings.redaction().redactor());
        Consumer<String> lines = line -> {
            if (verbose) {
                log.println(Printable.text(line));
            }
        };
        Rollups rollups = ddb == null ? Rollups.NONE
                : live ? Rollups.live(new RollupBumper(ddb, table, Clock.systemUTC()),
                        new Roller(ddb, table, settings.shards(), Clock.systemUTC(), lines,
                                Roller.Source.forSummaries(settings.summaries())))
                : Rollups.always(new RollupBumper(ddb, table, Clock.systemUTC()), written);
        this.ddb = ddb;
        this.table = table;
        this.settings = settings;
        this.log = log;
        this.verbose = verbose;
        this.forwarder = new Forwarder(new PostgresLogParser(zones), items,
                settings.format() == StorageFormat.COMPACT ? new CompactItems(settings.shards()) : null, writer,
                ddb == null ? null : new CatalogWriter(ddb, table, items), lines,
                settings.summaries() ? new Summariser(settings.shards()) : null, rollups);
        this.onStop = ddb == null ? null : stopHook(log);
    }

    /**
     * A process stopped mid-write (Ctrl-C, a CI timeout) runs no catch: the hook unmarks the days of the payloads being
     * written and marks their spans' rollups stale, so reports count what they stored from entries until the same
     * command, re-run, writes them whole.
     */
    private Thread stopHook(PrintWriter log) {
        Thread hook = new Thread(() -> {
            int cut = forwarder.stopInFlight();
            if (cut > 0 && log != null) {
                log.println("pglogs: stopped with " + cut + " payloads being written; run the same command again to "
                        + "write them whole (its writes are idempotent)");
                log.flush();
            } else if (rollingUp && log != null) {
                log.println("\npglogs: stopped while rolling up: every entry is stored; spans not rolled up are read "
                        + "from their summaries or entries (slower, same counts)");
                log.flush();
            }
        }, "pglogs-unmark-on-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    public Forwarder forwarder() {
        return forwarder;
    }

    /**
     * Where the spans of entries found already stored (an import skips them) are told: they are rolled with those this
     * writer bumped, so running the same import again finishes a rollup phase that was skipped, cut short or turned
     * off (review P6, F1). Safe: those entries were stored whole by an earlier run; a valid rollup costs one GetItem.
     */
    public java.util.function.BiConsumer<String, java.util.SortedSet<Long>> foundStored() {
        return written;
    }

    /**
     * Rolls up the spans this writer stored entries in, or found stored (docs/schema.md "Rollup items"), with the
     * roller the deployment's forwarder uses (from summaries, or from entries with slices when it writes none). Call
     * it only once the run has stored everything it could: every payload whole (a span rolled before the rest of its
     * entries are written would only be bumped again). Spans are due by the earlier of the local clock and AWS's
     * ({@link TableClock}); on a PROVISIONED table one span at a time, else at most {@code concurrency}, and no more
     * than the heap holds spans read from entries ({@link #concurrencyFor}). Says on {@code progress} why a span was
     * not rolled, for the first few.
     */
    public WrittenRollups.Outcome rollUpWritten(int concurrency, Progress progress) throws InterruptedException {
        if (ddb == null) {
            return WrittenRollups.Outcome.NONE;
        }
        Map<String, java.util.SortedSet<Long>> spans = written.byInstance();
        if (spans.isEmpty()) {
            return WrittenRollups.Outcome.NONE;
        }
        // The passes' own lines are the Lambda's ("a later invocation tries again"): -v only; the phase tells the
        // reasons in its own words.
        Consumer<String> passLines = line -> {
            if (verbose) {
                progress.warn(Printable.text(line));
            }
        };
        Roller roller = new Roller(ddb, table, settings.shards(), Clock.systemUTC(), passLines,
                Roller.Source.forSummaries(settings.summaries()));
        TableClock clock;
        try {
            clock = TableClock.of(ddb, table, Clock.systemUTC());
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            // Without AWS's time no span is known due (this machine's clock may run fast): none is rolled.
            progress.warn(Printable.text("pglogs: no rollup this run: DescribeTable failed ("
                    + io.pglogs.forwarder.dynamo.BatchWriter.describe(e) + "); reports read the spans written from "
                    + "their summaries or entries (slower, same counts)"));
            return WrittenRollups.Outcome.NONE;
        }
        if (clock.aws() != null && clock.local().isAfter(clock.aws().plusSeconds(30)) && verbose) {
            progress.warn(Printable.text("pglogs: this machine's clock is " + java.time.Duration.between(clock.aws(),
                    clock.local()).toSeconds() + " s ahead of AWS's: spans are due by AWS's"));
        }
        rollingUp = true;
        try {
            return WrittenRollups.roll(roller, spans, clock.now(),
                    concurrencyFor(concurrency, clock.provisioned(), Runtime.getRuntime().maxMemory()), progress,
                    line -> progress.warn(Printable.text(line)));
        } finally {
            rollingUp = false;
        }
    }

    /** About what one entry read back takes on the heap (the roller's measure for {@link Roller#MAX_SPAN_ENTRIES}). */
    static final long BYTES_PER_ENTRY = 1_200;

    /**
     * Spans rolled at once: one on a PROVISIONED table (its read capacity is shared with the forwarder's roller and
     * every report: review P6, F4); else at most {@code wanted}, and no more than three quarters of the heap holds
     * spans read from entries at their cap (about 120 MB each: a roller from summaries falls back to entries too).
     */
    static int concurrencyFor(int wanted, boolean provisioned, long maxHeap) {
        if (provisioned) {
            return 1;
        }
        long perSpan = Roller.MAX_SPAN_ENTRIES * BYTES_PER_ENTRY;
        return (int) Math.max(1, Math.min(wanted, maxHeap / 4 * 3 / perSpan));
    }

    @Override
    public void close() {
        if (onStop != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(onStop);
            } catch (IllegalStateException shuttingDown) {
                // The hook runs (or ran): the writer is still needed until it is done.
                return;
            }
        }
        if (writer != null) {
            writer.close();
        }
    }
}
