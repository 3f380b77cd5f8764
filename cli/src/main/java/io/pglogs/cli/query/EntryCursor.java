package io.pglogs.cli.query;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The entries of one partition key in key order (reversed when reading newest first). Single consumer. */
interface EntryCursor {
    /** Starts fetching, if not yet started. */
    void start();

    /** The next entry without consuming it, or null when the partition is done. Blocks for a page if needed. */
    Map<String, AttributeValue> peek();

    Map<String, AttributeValue> next();
}
