package io.pglogs.cli.ingest;

import io.pglogs.forwarder.Forwarder;
import io.pglogs.forwarder.dynamo.BatchWriter;
import io.pglogs.forwarder.dynamo.ItemFactory;
import io.pglogs.forwarder.parse.Redactor;
import io.pglogs.cli.term.Printable;
import java.io.PrintWriter;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The forwarder's code as a library: the same items, keys, redaction and retries as the Lambda, with the TTL, shards
 * and redaction the deployment uses.
 */
public final class TableWriter implements AutoCloseable {
    private final BatchWriter writer;
    private final Forwarder forwarder;

    /** For --dry-run: parses and builds items, and has nothing to write them with. */
    public static TableWriter parseOnly() {
        return new TableWriter(null, null, DeployedSettings.DEFAULTS, null, false);
    }

    public TableWriter(DynamoDbClient ddb, String table, DeployedSettings settings, PrintWriter log, boolean verbose) {
        this.writer = ddb == null ? null : new BatchWriter(ddb, table, 8);
        this.forwarder = new Forwarder(new ItemFactory(settings.shards(), settings.ttlDays(),
                settings.redact() ? new Redactor() : null), writer,
                line -> {
                    if (verbose) {
                        log.println(Printable.text(line));
                    }
                });
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
