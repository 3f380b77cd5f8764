package io.pglogs.bench;

import io.pglogs.forwarder.ForwarderConfig;
import io.pglogs.forwarder.ForwarderHandler;
import io.pglogs.forwarder.cloudwatch.SubscriptionDecoder;
import io.pglogs.forwarder.cloudwatch.SubscriptionPayload;
import io.pglogs.forwarder.dynamo.BatchWriter;
import io.pglogs.forwarder.dynamo.Deadline;
import io.pglogs.forwarder.dynamo.ItemFactory;
import io.pglogs.forwarder.parse.PostgresLogParser;
import io.pglogs.forwarder.parse.Redactor;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A cold start cut into phases, in a fresh JVM: the same work as the handler's first invocation, done step by step.
 * Usage: {@code java -Dpglogs.bench.t0=<epoch ms when the JVM was launched> -cp ... ColdStartPhases < event.json};
 * prints one "phase millis" line per phase. Each phase ends by loading a marker class, so a class-loading log
 * ({@code -Xlog:class+load}) can be cut at the same places to count the classes each phase loaded.
 */
public final class ColdStartPhases {
    private ColdStartPhases() {
    }

    /** Loaded at the end of each phase; their names in a class-loading log separate the phases. */
    static final class EndOfJvmStart {
    }

    static final class EndOfClientBuild {
    }

    static final class EndOfHandlerInit {
    }

    static final class EndOfDecode {
    }

    static final class EndOfParse {
    }

    static final class EndOfFirstCall {
    }

    static final class EndOfWrites {
    }

    public static void main(String[] args) throws Exception {
        long launched = Long.parseLong(System.getProperty("pglogs.bench.t0"));
        long mainEntered = System.currentTimeMillis();
        List<String> lines = new ArrayList<>();
        new EndOfJvmStart();
        lines.add("jvm-start " + (mainEntered - launched));

        long t = System.nanoTime();
        ForwarderConfig config = ForwarderConfig.fromEnvironment(System.getenv());
        DynamoDbClient ddb = io.pglogs.forwarder.Clients.dynamoDb();
        new EndOfClientBuild();
        t = lap(lines, "client-build", t);

        new ForwarderHandler(config, ddb);
        ItemFactory items = new ItemFactory(config.shards(), config.ttlDays(), new Redactor());
        PostgresLogParser parser = new PostgresLogParser();
        BatchWriter writer = new BatchWriter(ddb, config.table(), config.parallelism());
        new EndOfHandlerInit();
        t = lap(lines, "handler-init", t);

        byte[] event = System.in.readAllBytes();
        SubscriptionPayload payload = new SubscriptionDecoder().decodeEvent(new ByteArrayInputStream(event));
        new EndOfDecode();
        t = lap(lines, "decode", t);

        ItemFactory.ForSource factory = items.forSource(
                io.pglogs.forwarder.cloudwatch.LogSource.of(payload.logGroup(), payload.logStream()));
        List<Map<String, AttributeValue>> toWrite = new ArrayList<>();
        for (var e : payload.events()) {
            toWrite.add(factory.build(e.id(), e.timestamp(), parser.parse(e.message())).item());
        }
        new EndOfParse();
        t = lap(lines, "parse", t);

        Deadline deadline = Deadline.after(Duration.ofSeconds(60));
        writer.write(toWrite.subList(0, BatchWriter.MAX_BATCH), deadline);
        new EndOfFirstCall();
        t = lap(lines, "first-call", t);

        writer.write(toWrite.subList(BatchWriter.MAX_BATCH, toWrite.size()), deadline);
        new EndOfWrites();
        lap(lines, "other-writes", t);
        lines.add("total " + (System.currentTimeMillis() - launched));
        lines.forEach(System.out::println);
        System.out.println("written " + toWrite.size());
        writer.close();
    }

    private static long lap(List<String> lines, String phase, long since) {
        long now = System.nanoTime();
        lines.add(phase + " " + (now - since) / 1_000_000);
        return now;
    }
}
