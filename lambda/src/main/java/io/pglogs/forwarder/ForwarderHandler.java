package io.pglogs.forwarder;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.pglogs.forwarder.cloudwatch.BadPayloadException;
import io.pglogs.forwarder.cloudwatch.SubscriptionDecoder;
import io.pglogs.forwarder.cloudwatch.SubscriptionPayload;
import io.pglogs.forwarder.dynamo.BatchWriter;
import io.pglogs.forwarder.dynamo.CatalogWriter;
import io.pglogs.forwarder.dynamo.CompactItems;
import io.pglogs.forwarder.dynamo.StorageFormat;
import io.pglogs.forwarder.dynamo.Deadline;
import io.pglogs.forwarder.dynamo.ItemFactory;
import io.pglogs.forwarder.dynamo.Roller;
import io.pglogs.forwarder.dynamo.RollupBumper;
import io.pglogs.forwarder.parse.PostgresLogParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.crac.Core;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Lambda entry point for CloudWatch Logs subscriptions: {@code io.pglogs.forwarder.ForwarderHandler::handleRequest}.
 * Thin on purpose: decode, forward, report. The client and writer are built once per container.
 */
public final class ForwarderHandler implements RequestStreamHandler {
    /** Time kept back from the invocation's deadline to report a failure before Lambda cuts us off. */
    static final long SAFETY_MARGIN_MS = 1_500;

    private final SubscriptionDecoder decoder = new SubscriptionDecoder();
    private final ForwarderConfig config;
    private final BatchWriter writer;
    private final Forwarder forwarder;
    /** Null where nothing is bumped (benchmarks); re-seeded with the writer after a SnapStart restore. */
    private final RollupBumper bumper;
    /** Held here: org.crac keeps only a weak reference to what is registered. */
    private SnapStartHooks snapStart;

    /**
     * Used by Lambda: configuration from the environment, clients built here, once. With SnapStart, Lambda calls
     * the hooks registered here around the snapshot; without it they are never called and cost nothing.
     */
    public ForwarderHandler() {
        this(ForwarderConfig.fromEnvironment(System.getenv()), Clients.dynamoDb());
        Core.getGlobalContext().register(snapStartHooks(System.getenv()));
    }

    /** Used by tests and the local runner with a client of their own. */
    public ForwarderHandler(ForwarderConfig config, DynamoDbClient ddb) {
        this(config, ddb, true);
    }

    /** @param summaries whether summary items are written with the entries (benchmarks compare without) */
    ForwarderHandler(ForwarderConfig config, DynamoDbClient ddb, boolean summaries) {
        this(config, ddb, summaries, true);
    }

    /**
     * @param rolling whether invocations roll up closed spans (issue 26 part 2; benchmarks compare without). The
     *                handler serves the live path either way: late summaries bump their span's rollup.
     */
    ForwarderHandler(ForwarderConfig config, DynamoDbClient ddb, boolean summaries, boolean rolling) {
        this.config = config;
        ItemFactory items = new ItemFactory(config.shards(), config.ttlDays(), config.redaction().redactor());
        this.writer = new BatchWriter(ddb, config.table(), config.parallelism());
        CatalogWriter catalog = new CatalogWriter(ddb, config.table(), items);
        boolean summarising = summaries && config.summaries();
        // Summaries off (the setting, or auto on a compact table): rollups are made of the stored entries instead.
        this.bumper = !summaries ? null : new RollupBumper(ddb, config.table(), Clock.systemUTC());
        Rollups rollups = !summaries ? Rollups.NONE : Rollups.live(bumper, rolling ? new Roller(ddb, config.table(),
                config.shards(), Clock.systemUTC(), ForwarderHandler::logLine, Roller.Source.forSummaries(summarising))
                : null);
        this.forwarder = new Forwarder(new PostgresLogParser(config.logTimezone()), items,
                config.format() == StorageFormat.COMPACT ? new CompactItems(config.shards()) : null, writer, catalog,
                ForwarderHandler::logLine, summarising ? new Summariser(config.shards()) : null, rollups);
    }

    /** The SnapStart hooks for this handler: prime with its configuration, re-seed its writer. */
    SnapStartHooks snapStartHooks(Map<String, String> env) {
        if (snapStart == null) {
            // The bumper's backoff too (review 26c, L6): restored instances must not retry in lock-step.
            snapStart = new SnapStartHooks(config, env, seed -> {
                writer.reseed(seed);
                if (bumper != null) {
                    bumper.reseed(Long.rotateLeft(seed, 17));
                }
            });
        }
        return snapStart;
    }

    /** Stops the writer's threads; for handlers that live shorter than the process (the SnapStart dry run). */
    void closeWriter() {
        writer.close();
    }

    private static final ThreadLocal<Context> CURRENT = new ThreadLocal<>();

    private static void logLine(String line) {
        Context ctx = CURRENT.get();
        if (ctx != null && ctx.getLogger() != null) {
            ctx.getLogger().log(line + "\n");
        } else {
            System.err.println(line);
        }
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        CURRENT.set(context);
        try {
            Deadline deadline = Deadline.after(Duration.ofMillis(
                    Math.max(0, context.getRemainingTimeInMillis() - SAFETY_MARGIN_MS)));
            SubscriptionPayload payload;
            try {
                payload = decoder.decodeEvent(input);
            } catch (BadPayloadException e) {
                logLine("pglogs-forwarder: rejected payload: " + e.getMessage());
                throw new ForwardingFailedException("rejected payload: " + e.getMessage());
            }
            ForwardResult result;
            try {
                result = forwarder.forward(payload, deadline);
            } catch (ForwardingFailedException e) {
                logLine("pglogs-forwarder: " + e.getMessage());
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ForwardingFailedException("interrupted while writing; Lambda will retry");
            }
            String json = result.toJson();
            logLine(json);
            output.write(json.getBytes(StandardCharsets.UTF_8));
        } finally {
            CURRENT.remove();
        }
    }
}
