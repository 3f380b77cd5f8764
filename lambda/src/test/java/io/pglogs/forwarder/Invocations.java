package io.pglogs.forwarder;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Runs the handler as Lambda would, for the tests that talk to moto. */
final class Invocations {
    private Invocations() {
    }

    static ForwarderHandler handler(String table, DynamoDbClient client) {
        return new ForwarderHandler(new ForwarderConfig(table, 90, 4, true, 4), client);
    }

    /** A handler writing the compact format. */
    static ForwarderHandler compactHandler(String table, DynamoDbClient client) {
        return new ForwarderHandler(new ForwarderConfig(table, 90, 4, true, 4,
                io.pglogs.forwarder.parse.LogTimeZone.NONE, io.pglogs.forwarder.dynamo.StorageFormat.COMPACT), client);
    }

    /** The summary the handler returns; its log lines go to {@code log}. */
    static String invoke(ForwarderHandler handler, String lambdaEvent, ByteArrayOutputStream log, long timeoutMillis)
            throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(lambdaEvent.getBytes(StandardCharsets.UTF_8)), out,
                new LocalRunner.LocalContext(timeoutMillis, new PrintStream(log, true, StandardCharsets.UTF_8)));
        return out.toString(StandardCharsets.UTF_8);
    }
}
