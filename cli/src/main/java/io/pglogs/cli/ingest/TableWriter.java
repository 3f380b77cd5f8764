package io.pglogs.cli.ingest;

import io.pglogs.forwarder.Forwarder;
import io.pglogs.forwarder.Summariser;
import io.pglogs.forwarder.dynamo.BatchWriter;
import io.pglogs.forwarder.dynamo.CatalogWriter;
import io.pglogs.forwarder.dynamo.CompactItems;
import io.pglogs.forwarder.dynamo.StorageFormat;
import io.pglogs.forwarder.dynamo.ItemFactory;
import io.pglogs.forwarder.parse.LogTimeZone;
import io.pglogs.forwarder.parse.PostgresLogParser;
import io.pglogs.cli.term.Printable;
import java.io.PrintWriter;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The forwarder's code as a library: the same items, keys, redaction and retries as the Lambda, with the TTL, shards,
 * redaction, storage format and summaries switch the deployment uses.
 */
public final class TableWriter implements AutoCloseable {
    private final BatchWriter writer;
    private final Forwarder forwarder;

    /** For --dry-run: parses and builds items, and has nothing to write them with. */
    public static TableWriter parseOnly(LogTimeZone zones) {
        return new TableWriter(null, null, DeployedSettings.DEFAULTS, zones, null, false);
    }

    /** @param zones the servers' log_timezone, for zone abbreviations that name several offsets */
    public TableWriter(DynamoDbClient ddb, String table, DeployedSettings settings, LogTimeZone zones, PrintWriter log,
                       boolean verbose) {
        this.writer = ddb == null ? null : new BatchWriter(ddb, table, 8);
        ItemFactory items = new ItemFactory(settings.shards(), settings.ttlDays(), settings.redaction().redactor());
        this.forwarder = new Forwarder(new PostgresLogParser(zones), items,
                settings.format() == StorageFormat.COMPACT ? new CompactItems(settings.shards()) : null, writer,
                ddb == null ? null : new CatalogWriter(ddb, table, items), line -> {
                    if (verbose) {
                        log.println(Printable.text(line));
                    }
                }, settings.summaries() ? new Summariser(settings.shards()) : null);
    }

    public Forwarder forwarder() {
        return forwarder;
    }

    @Override
    public void close() {
        if (writer != null) {
            writer.close();
        }
    }
}
