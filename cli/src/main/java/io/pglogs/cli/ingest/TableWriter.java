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
            }
        }, "pglogs-unmark-on-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    public Forwarder forwarder() {
        return forwarder;
    }

    /**
     * Rolls up the spans this writer stored entries in (docs/schema.md "Rollup items"), with the roller the
     * deployment's forwarder uses (from summaries, or from entries with slices when it writes none). Call it only
     * once the run has stored everything it was asked to: a span rolled before the rest of its entries are written
     * would only be bumped again. {@code log} (stderr) says why a span was not rolled, for the first few.
     */
    public WrittenRollups.Outcome rollUpWritten(int concurrency, Progress progress) throws InterruptedException {
        if (ddb == null) {
            return new WrittenRollups.Outcome(0, 0, 0);
        }
        java.util.concurrent.atomic.AtomicInteger told = new java.util.concurrent.atomic.AtomicInteger();
        Consumer<String> reasons = line -> {
            if (told.incrementAndGet() <= MAX_REASONS) {
                synchronized (log) {
                    progress.clear();
                    log.println(Printable.text(line.replace("pglogs-forwarder:", "pglogs:")));
                    log.flush();
                }
            }
        };
        Roller roller = new Roller(ddb, table, settings.shards(), Clock.systemUTC(), reasons,
                Roller.Source.forSummaries(settings.summaries()));
        return WrittenRollups.roll(roller, written.byInstance(), java.time.Instant.now(), concurrency, progress);
    }

    /** Reasons a span was not rolled told on stderr; the rest are counted in the outcome only. */
    private static final int MAX_REASONS = 10;

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
