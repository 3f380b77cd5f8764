package io.pglogs.forwarder;

import io.pglogs.forwarder.dynamo.StorageFormat;
import io.pglogs.forwarder.parse.LogTimeZone;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The whole handler, the SDK's request path included (marshalling, signing, the HTTP client), against a DynamoDB that
 * answers in memory as SnapStart's priming does: the forwarder's own cost per invocation without the network's or
 * an emulator's. For benchmarks.
 */
public final class InMemoryForwarder implements AutoCloseable {
    private final DynamoDbClient ddb = Clients.forPriming(new PrimingHttpClient(), Map.of("AWS_REGION", "us-east-1"));
    private final ForwarderHandler handler;
    private final PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());

    public InMemoryForwarder(StorageFormat format) {
        this(format, true);
    }

    /** @param summaries whether the handler writes summary items (issue 26) with the entries */
    public InMemoryForwarder(StorageFormat format, boolean summaries) {
        this(format, summaries, true);
    }

    /** @param rolling whether invocations roll up closed spans (issue 26 part 2); late summaries bump either way */
    public InMemoryForwarder(StorageFormat format, boolean summaries, boolean rolling) {
        handler = new ForwarderHandler(new ForwarderConfig("bench", 90, 4, true, 4, LogTimeZone.NONE, format), ddb,
                summaries, rolling);
    }

    /** Invokes the handler on one Lambda event; its summary line. */
    public String invoke(byte[] lambdaEvent) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(lambdaEvent), out, new LocalRunner.LocalContext(60_000, quiet));
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        handler.closeWriter();
        ddb.close();
    }
}
