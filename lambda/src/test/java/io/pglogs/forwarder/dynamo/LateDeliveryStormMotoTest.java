package io.pglogs.forwarder.dynamo;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.forwarder.ForwardResult;
import io.pglogs.forwarder.Forwarder;
import io.pglogs.forwarder.Rollups;
import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.cloudwatch.SubscriptionPayload;
import io.pglogs.forwarder.parse.PostgresLogParser;
import io.pglogs.forwarder.parse.Redactor;
import io.pglogs.testing.Corpus;
import io.pglogs.testing.FaultProxy;
import io.pglogs.testing.LogTables;
import io.pglogs.testing.MotoServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Review V4 of issue 26 part 4: a delivery backlog of a few minutes (CloudWatch Logs or Lambda async queueing,
 * throttling) makes every payload "late" under the 3-minute rule, so each bumps its span. Before the fix each bump made
 * its container re-read the span at once (55 passes against 5 for one span), and every container re-read the open
 * span's unsliced units each unit. Now a roller leaves a span alone for a unit after its last bump
 * ({@code Roller.QUIET_MILLIS}) and slices an open span only for an instance whose previous span was busy: a backlog
 * costs at most one more pass, and more containers no more reads. One instance at 1 line a second (a quiet one),
 * payloads every 10 s, compact layout, then the containers' later invocations until the backlog is long over.
 */
// Beside another slow moto class (lambda/pom.xml: two at a time): a moto of its own, so the other's load never slows
// its requests; its tests one after another on it.
@Execution(ExecutionMode.CONCURRENT)
@Tag("integration")
class LateDeliveryStormMotoTest {
    private static final String GROUP = "/aws/rds/instance/corpus-db/postgresql";
    private static final String INSTANCE = "corpus-db";
    private static final Instant BASE = Instant.parse("2026-05-01T10:20:00Z");
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    /** A clock the test moves: the container's. */
    static final class Moving extends Clock {
        volatile Instant now = BASE;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static MotoServer moto;

    @BeforeAll
    static void start() {
        moto = MotoServer.dedicated();
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            moto.close();
        }
    }

    record Figures(int bumps, int entryQueries, int sliceQueries, int puts, int updates) {
    }

    private Figures deliver(long delayMillis, String prefix) throws Exception {
        return deliver(delayMillis, prefix, 1);
    }

    /** As above, the payloads handed round-robin to {@code containers} containers (a Roller each). */
    private Figures deliver(long delayMillis, String prefix, int containers) throws Exception {
        DynamoDbClient direct = moto.dynamoDb();
        String table = LogTables.createCompact(direct, prefix);
        List<LogEvent> corpus = Corpus.asEvents(Corpus.fresh("postgresql.log"), 1);
        try (FaultProxy proxy = new FaultProxy(moto.endpoint(), 0.0, List.of(), 1, ".Query", "none");
             DynamoDbClient ddb = MotoServer.dynamoDb(proxy.endpoint())) {
            Moving clock = new Moving();
            List<Roller> rollers = new ArrayList<>();
            for (int c = 0; c < containers; c++) {
                rollers.add(new Roller(ddb, table, 4, clock, s -> { }, Roller.Source.ENTRIES));
            }
            // Warm containers: the empty spans of the 2 hours before are found empty (3 an invocation) and remembered,
            // so the figures below are the span at 10:20's passes only.
            for (Roller r : rollers) {
                for (int i = 0; i < 6; i++) {
                    r.rollUp(INSTANCE, BASE, Deadline.after(Duration.ofSeconds(30)));
                }
            }
            int entryQueries0 = proxy.callsContaining("corpus-db#2026-05-01#");
            int sliceQueries0 = proxy.callsContaining("_slice#corpus-db#2026-05-01");
            ItemFactory items = new ItemFactory(4, 90, new Redactor());
            BatchWriter writer = new BatchWriter(ddb, table, 4);
            int bumps = 0;
            try {
                // 10 minutes at 1 line a second, a payload every 10 s, each delivered delayMillis after its last line.
                for (int p = 0; p < 60; p++) {
                    List<LogEvent> payload = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        long millis = BASE.toEpochMilli() + (p * 10L + i) * 1000L + 250;
                        String message = corpus.get((p * 10 + i) % corpus.size()).message();
                        Matcher m = TIME.matcher(message);
                        String stamp = STAMP.format(Instant.ofEpochMilli(millis));
                        payload.add(new LogEvent(String.format("%019d%05d%032d", millis, 9, p * 10 + i), millis,
                                m.find() ? message.substring(0, m.start()) + stamp + message.substring(m.end())
                                        : message));
                    }
                    Instant delivered = Instant.ofEpochMilli(payload.get(payload.size() - 1).timestamp() + delayMillis);
                    clock.now = delivered;
                    Forwarder f = new Forwarder(new PostgresLogParser(), items, new CompactItems(4), writer,
                            new CatalogWriter(ddb, table, items), s -> { }, null,
                            Rollups.live(new RollupBumper(ddb, table, Clock.fixed(delivered, ZoneOffset.UTC)), rollers.get(p % containers)));
                    ForwardResult r = f.forward(SubscriptionPayload.ofEvents(null, GROUP, "corpus-db.0", payload),
                            Deadline.after(Duration.ofSeconds(30)));
                    bumps += r.bumped();
                }
                // The containers' later invocations (the instance's next payloads) once the backlog is long over.
                Instant later = clock.now.plus(Duration.ofMinutes(8));
                clock.now = later;
                for (Roller r : rollers) {
                    r.rollUp(INSTANCE, later, Deadline.after(Duration.ofSeconds(30)));
                }
            } finally {
                writer.close();
            }
            return new Figures(bumps, proxy.callsContaining("corpus-db#2026-05-01#") - entryQueries0,
                    proxy.callsContaining("_slice#corpus-db#2026-05-01") - sliceQueries0, proxy.calls(".PutItem"),
                    proxy.calls(".UpdateItem"));
        }
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void moreContainersReadAQuietInstancesSpanNoMoreOften() throws Exception {
        Figures one = deliver(30_000, "storm-one", 1);
        Figures four = deliver(30_000, "storm-four", 4);
        System.out.println("V4 containers: one " + one + "; four " + four);
        assertTrue(one.entryQueries() > 0, "the span was rolled: " + one);
        // Each container examines the empty span at 10:10 once when it becomes due (4 shard Queries: nothing there is
        // no item to remember); beyond that, a quiet instance's open span is read by none of them before it closes.
        assertTrue(four.entryQueries() <= one.entryQueries() + 3 * 4,
                "partial passes are per container: " + four + " against " + one);
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void aFourMinuteBacklogCostsAtMostOneMoreReadOfTheSpan() throws Exception {
        Figures prompt = deliver(30_000, "storm-prompt");
        Figures backlog = deliver(240_000, "storm-backlog");
        System.out.println("V4 storm: prompt (30 s) " + prompt + "; backlog (240 s) " + backlog);
        assertEquals(0, prompt.bumps(), "delivered within the rule: nothing late");
        assertTrue(backlog.bumps() > 0, "delivered late: bumped " + backlog);
        assertTrue(prompt.entryQueries() > 0, "the span was rolled: " + prompt);
        assertTrue(backlog.entryQueries() <= 2 * prompt.entryQueries(),
                "a 4-minute backlog re-reads the span per payload: " + backlog + " against " + prompt);
    }
}
