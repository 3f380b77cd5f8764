package io.pglogs.forwarder;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.dynamo.StorageFormat;
import io.pglogs.forwarder.parse.LogTimeZone;
import io.pglogs.forwarder.parse.Redaction;
import io.pglogs.testing.ChildJvm;
import io.pglogs.testing.Corpus;
import io.pglogs.testing.FaultProxy;
import io.pglogs.testing.LogTables;
import io.pglogs.testing.MotoServer;
import io.pglogs.testing.Payloads;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The SnapStart hooks called directly, as Lambda calls them around the snapshot; writes go to a real moto. */
@Tag("integration")
class SnapStartHooksTest {
    private static final String GROUP = "/aws/rds/instance/corpus-db/postgresql";
    private static MotoServer moto;
    private static List<LogEvent> events;

    @BeforeAll
    static void start() {
        moto = MotoServer.shared();
        events = Corpus.asEvents(Corpus.fresh("postgresql.log"), 3);
    }

    /** Counts how often the client asked for credentials: a snapshot must not hold any. */
    private static final class CountingCredentials implements AwsCredentialsProvider {
        final AtomicInteger resolved = new AtomicInteger();

        @Override
        public AwsCredentials resolveCredentials() {
            resolved.incrementAndGet();
            return MotoServer.CREDENTIALS.resolveCredentials();
        }
    }

    @Test
    void primingRunsTheSdkButReachesNeitherAwsNorTheCredentialsAndTheRestoredHandlerWrites() throws Exception {
        String table = LogTables.create(moto.dynamoDb(), "snapstart");
        CountingCredentials credentials = new CountingCredentials();
        try (FaultProxy proxy = new FaultProxy(moto.endpoint(), 0, List.of(), 1);
             DynamoDbClient ddb = MotoServer.configure(Clients.forForwarder(DynamoDbClient.builder()),
                     proxy.endpoint()).credentialsProvider(credentials).build()) {
            ForwarderHandler handler = new ForwarderHandler(new ForwarderConfig(table, 90, 4, true, 4), ddb);
            SnapStartHooks hooks = handler.snapStartHooks(moto.childEnvironment());

            hooks.beforeCheckpoint(null);
            // Rollups (issue 26 part 2): its entries of 2024 are late, so their span is bumped; the roller examines
            // three closed spans of the priming instance, a GetItem and a Query per shard each, and finds nothing.
            assertEquals(5 + 1 + 3 * (1 + 4), hooks.prime(), "the dry run's 60 entries in three BatchWriteItem calls, "
                    + "its summary in a fourth once they are stored, its catalogue item in a PutItem of its own, a bump, "
                    + "the roller's reads");
            assertEquals(0, proxy.batchWrites(), "priming sent a request towards DynamoDB");
            assertEquals(0, credentials.resolved.get(), "priming resolved the function's credentials");
            assertEquals(0, LogTables.entries(moto.dynamoDb(), table).size());

            hooks.afterRestore(null);
            String summary = invoke(handler, Payloads.lambdaEvent(GROUP, "corpus-db.3", events));
            assertTrue(summary.contains("\"written\":" + events.size()), summary);
            assertTrue(proxy.batchWrites() > 0);
            assertTrue(credentials.resolved.get() > 0);
        }
        assertEquals(events.size(), LogTables.entries(moto.dynamoDb(), table).size());
    }

    /**
     * Summaries off (issue 26 part 3): no summary batch, and the roller's Queries go to the entry partitions (rolling
     * from entries), answered locally as the summary partitions' were.
     */
    @Test
    void primingWithSummariesOffRollsFromEntriesAndStillCompletes() {
        ForwarderConfig config = new ForwarderConfig("snapstart-off", 90, 4, Redaction.PASSWORDS, 4,
                LogTimeZone.NONE, StorageFormat.ENTRIES, false);
        SnapStartHooks hooks = new SnapStartHooks(config, moto.childEnvironment(), seed -> { });
        // Three BatchWriteItem calls, the catalogue's PutItem, a bump (of the priming entries' span, years ago), per
        // span examined the roller's GetItem, a Query of its slices and one of each shard's entries, and the busy
        // gate's GetItem of the open span's previous span: unless the wall clock is 3 to 5 minutes into a span, when
        // no unit of the open span is due yet.
        int calls = hooks.prime();
        int base = 3 + 1 + 1 + 3 * (1 + 1 + 4);
        assertTrue(calls == base || calls == base + 1, "calls: " + calls);
    }

    @Test
    void afterRestoreReseedsTheJitterFromEntropyDrawnThen() {
        List<Long> seeds = new ArrayList<>();
        ForwarderConfig config = new ForwarderConfig("t", 90, 4, true, 4);
        SnapStartHooks first = new SnapStartHooks(config, Map.of(), seeds::add);
        SnapStartHooks second = new SnapStartHooks(config, Map.of(), seeds::add);
        first.afterRestore(null);
        second.afterRestore(null);
        first.afterRestore(null);
        assertEquals(3, seeds.size());
        assertEquals(3, seeds.stream().distinct().count(), seeds.toString());
    }

    /**
     * What a restored function's first invocation still has to load, in a fresh JVM each: after priming, the network
     * path (sockets, the URL connection) and little else; without it, the SDK's whole request path.
     */
    @Test
    void aPrimedHandlersFirstInvocationLoadsAFractionOfTheClasses() throws Exception {
        String table = LogTables.create(moto.dynamoDb(), "firstcall");
        String event = Payloads.lambdaEvent(GROUP, "corpus-db.3", events);
        long unprimed = classesLoadedByFirstInvocation("unprimed", table, event);
        long primed = classesLoadedByFirstInvocation("primed", table, event);
        assertTrue(unprimed > 700, "unprimed first invocation loaded only " + unprimed + " classes");
        assertTrue(primed < 250 && primed * 4 < unprimed, "primed " + primed + ", unprimed " + unprimed);
    }

    private static long classesLoadedByFirstInvocation(String mode, String table, String event) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(moto.childEnvironment());
        env.put("PGLOGS_TABLE", table);
        ChildJvm.Result r = ChildJvm.run(env, event, FirstInvocation.class, mode);
        String out = r.out();
        assertEquals(0, r.exit(), r.err());
        assertTrue(out.contains("\"written\":" + events.size()), out + r.err());
        return Long.parseLong(out.substring(out.indexOf("classes=") + 8, out.indexOf(' ')));
    }

    private static String invoke(ForwarderHandler handler, String lambdaEvent) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(lambdaEvent.getBytes(StandardCharsets.UTF_8)), out,
                new LocalRunner.LocalContext(60_000, new PrintStream(new ByteArrayOutputStream())));
        return out.toString(StandardCharsets.UTF_8);
    }
}
