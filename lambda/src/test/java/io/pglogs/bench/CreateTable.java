package io.pglogs.bench;

import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.LogTable;
import io.pglogs.testing.MotoServer;
import java.net.URI;

/** Creates a log table in the emulator for a benchmark: usage CreateTable ENDPOINT TABLE. */
public final class CreateTable {
    private CreateTable() {
    }

    public static void main(String[] args) {
        LogTable.create(MotoServer.dynamoDb(URI.create(args[0])), args[1], ItemContract.DEFAULT_SHARDS);
    }
}
