package io.pglogs.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.dynamo.BatchWriter;
import io.pglogs.forwarder.dynamo.CompactItems;
import io.pglogs.forwarder.dynamo.Deadline;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.ItemFactory;
import io.pglogs.forwarder.parse.PostgresLogParser;
import io.pglogs.testing.LogTables;
import io.pglogs.testing.MotoServer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * query against moto, in both storage formats: --context newest first and at the window's end; entries stored before
 * entries had kinds (and compact items before they listed them, or listed by other rules) found by --kind,
 * --min-duration and --fingerprint.
 */
@Tag("integration")
class QueryContextAndOldEntriesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PostgresLogParser PARSER = new PostgresLogParser();
    private static final ItemFactory ITEMS = new ItemFactory(4, 90, null);
    /** What the forwarder derives from a message: absent from entries stored before #24. */
    private static final List<String> DERIVED = List.of(ItemContract.KIND, ItemContract.DURATION_MS,
            ItemContract.FINGERPRINT, ItemContract.SQLSTATE_CLASS, ItemContract.TEMP_BYTES, ItemContract.WAIT_MS,
            ItemContract.SESSION_MS, ItemContract.RELATION, ItemContract.CHECKPOINT_BUFFERS,
            ItemContract.CHECKPOINT_WRITE_S, ItemContract.CHECKPOINT_SYNC_S, ItemContract.CHECKPOINT_TOTAL_S);
    private static MotoServer moto;
    private static DynamoDbClient ddb;
    private static String entriesTable;
    private static String compactTable;
    private static Instant t0;
    private static int ids;

    @BeforeAll
    static void tables() throws Exception {
        moto = MotoServer.shared();
        ddb = moto.dynamoDb();
        entriesTable = LogTables.create(ddb, "ctx-entries");
        compactTable = LogTables.createCompact(ddb, "ctx-compact");
        t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(30));
        List<Map<String, AttributeValue>> entries = new ArrayList<>();
        List<Map<String, AttributeValue>> compact = new ArrayList<>();
        for (String instance : List.of("ctx-a", "ctx-old", "ctx-stale")) {
            List<Map<String, AttributeValue>> built = process(instance);
            if (instance.equals("ctx-old")) {
                built = built.stream().map(QueryContextAndOldEntriesTest::withoutKinds).toList();
            }
            entries.addAll(built);
            for (Map<String, AttributeValue> item : new CompactItems(4).pack(built).items()) {
                if (!instance.equals("ctx-a")) {
                    item = new HashMap<>(item);
                    // ctx-old: packed before items listed kinds; ctx-stale: listed by other rules, which saw none.
                    item.remove(ItemContract.KINDS);
                    item.remove(ItemContract.KINDS_VERSION);
                    if (instance.equals("ctx-stale")) {
                        item.put(ItemContract.KINDS_VERSION, AttributeValue.fromN("0"));
                    }
                }
                compact.add(item);
            }
        }
        // An entry of before kinds; in the compact table an entry item from before it was compact.
        Map<String, AttributeValue> single = withoutKinds(build("ctx-old", t0.plusSeconds(7), 300, "ERROR",
                "deadlock detected"));
        entries.add(single);
        compact.add(single);
        write(entriesTable, entries);
        write(compactTable, compact);
    }

    /**
     * pid 100: k = 0..10 two seconds apart, deadlocks at k = 4, 6, 9 and 10 (10 after the window), the others
     * statements with a duration; pid 200's statements between them.
     */
    private static List<Map<String, AttributeValue>> process(String instance) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        for (int k = 0; k <= 10; k++) {
            boolean deadlock = k == 4 || k == 6 || k == 9 || k == 10;
            out.add(build(instance, t0.plusSeconds(2L * k), 100, deadlock ? "ERROR" : "LOG",
                    deadlock ? "deadlock detected" : "duration: 1" + k + ".5 ms  statement: SELECT " + k));
            out.add(build(instance, t0.plusSeconds(2L * k + 1), 200, "LOG", "statement: SELECT 'x' FROM t"));
        }
        return out;
    }

    private static Map<String, AttributeValue> build(String instance, Instant t, int pid, String severity,
                                                     String message) {
        String line = t.toString().replace("T", " ").substring(0, 19) + " UTC:10.0.0.9(5000):app@db:[" + pid + "]:"
                + severity + ":  " + message;
        return ITEMS.forSource(LogSource.of(LogSource.instanceLogGroup(instance), instance + ".0"))
                .build(String.format("%056d", ++ids), t.toEpochMilli(), PARSER.parse(line)).item();
    }

    private static Map<String, AttributeValue> withoutKinds(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> old = new HashMap<>(item);
        DERIVED.forEach(old::remove);
        return old;
    }

    private static void write(String table, List<Map<String, AttributeValue>> items) throws Exception {
        try (BatchWriter writer = new BatchWriter(ddb, table, 4)) {
            writer.write(items, Deadline.after(Duration.ofSeconds(60)));
        }
    }

    /** Rows as "context k" (k of pid 100's entries, "p200" or "p300" for the others) from both tables, alike. */
    private static List<String> rows(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("query", "--no-color", "--since=" + t0.minusSeconds(1),
                "--until=" + t0.plusSeconds(19), "-o", "ndjson"));
        all.addAll(List.of(args));
        List<String> fromEntries = null;
        for (String table : List.of(entriesTable, compactTable)) {
            TestCli cli = new TestCli();
            cli.env.putAll(moto.childEnvironment());
            cli.env.put("PGLOGS_DEVEL_TABLE", table);
            TestCli.Result r = cli.run(all.toArray(String[]::new));
            assertEquals(0, r.code(), r.toString());
            List<String> got = new ArrayList<>();
            for (String line : r.out().lines().toList()) {
                JsonNode row = JSON.readTree(line);
                String message = row.get("message").asText();
                int pid = row.get("pid").asInt();
                String what = pid != 100 ? "p" + pid : Long.toString((Instant.parse(row.get("ts")
                        .asText()).getEpochSecond() - t0.getEpochSecond()) / 2);
                got.add((row.has("context") ? row.get("context").asText() + " " : "") + what
                        + (message.startsWith("deadlock") ? "!" : ""));
            }
            if (fromEntries == null) {
                fromEntries = got;
            } else {
                assertEquals(fromEntries, got, "compact table against entries table: " + String.join(" ", args));
            }
        }
        return fromEntries;
    }

    @Test
    void contextOldestFirstMarksByTimeAndOnlyMatchesInTheWindow() throws Exception {
        assertEquals(List.of("before 2", "before 3", "match 4!", "after 5", "match 6!", "after 7", "after 8",
                "match 9!", "after 10!"), rows("-i", "ctx-a", "--kind", "deadlock", "-C", "2"));
    }

    @Test
    void contextNewestFirstGivesEachMatchItsNeighboursInTheOutputsOrder() throws Exception {
        // The later rows come first, marked after; the earlier ones follow, marked before; a match among them stays one.
        assertEquals(List.of("after 10!", "match 9!", "before 8", "before 7", "match 6!", "before 5", "match 4!",
                "before 3", "before 2"), rows("-i", "ctx-a", "--kind", "deadlock", "-C", "2", "--reverse"));
        assertEquals(List.of("after 10!", "match 9!", "before 8", "before 7", "match 6!", "before 5"),
                rows("-i", "ctx-a", "--kind", "deadlock", "-C", "2", "--reverse", "--limit", "2"));
    }

    @Test
    void entriesStoredBeforeKindsAreFoundByKindDurationAndFingerprint() throws Exception {
        for (String instance : List.of("ctx-old", "ctx-stale")) {
            List<String> deadlocks = rows("-i", instance, "--kind", "deadlock");
            assertEquals(instance.equals("ctx-old") ? List.of("p300!", "4!", "6!", "9!") : List.of("4!", "6!", "9!"),
                    deadlocks, instance);
            assertEquals(List.of("3", "5", "7", "8"), rows("-i", instance, "--min-duration", "13ms"), instance);
            assertEquals(rows("-i", "ctx-a", "--min-duration", "13ms"), rows("-i", instance, "--min-duration",
                    "13ms"), instance);
        }
        String fp = new io.pglogs.forwarder.parse.StatementFingerprint().of("SELECT 1");
        assertEquals(List.of("0", "1", "2", "3", "5", "7", "8"), rows("-i", "ctx-old", "--fingerprint", fp));
        assertEquals(rows("-i", "ctx-a", "--fingerprint", fp), rows("-i", "ctx-old", "--fingerprint", fp));
    }
}
