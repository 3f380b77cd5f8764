package io.pglogs.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pglogs.forwarder.ForwarderConfig;
import io.pglogs.forwarder.ForwarderHandler;
import io.pglogs.forwarder.ForwardingFailedException;
import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.StorageFormat;
import io.pglogs.forwarder.parse.LogFileSplitter;
import io.pglogs.forwarder.parse.LogTimeZone;
import io.pglogs.forwarder.parse.PostgresLogParser;
import io.pglogs.testing.Corpus;
import io.pglogs.testing.FaultProxy;
import io.pglogs.testing.LogTables;
import io.pglogs.testing.MotoServer;
import io.pglogs.testing.Payloads;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Review of issue 26, findings 1 and the summaries switch, end to end: a table left behind by a payload that failed
 * part-way (an entry DynamoDB refuses, after an import summarised the day) and a table whose writers have summaries
 * switched off (tag {@code pglogs:summaries=false}) give the same report as {@code --no-summaries}: their days are
 * read from entries, and the report says so ({@code not summarised}).
 */
@Tag("integration")
class SummaryFailureReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PostgresLogParser PARSER = new PostgresLogParser();
    private static final String INSTANCE = "fail-db";
    private static MotoServer moto;
    private static DynamoDbClient ddb;

    @TempDir
    Path tmp;

    @BeforeAll
    static void moto() {
        moto = MotoServer.shared();
        ddb = moto.dynamoDb();
    }

    private static TestCli cli(String table) {
        TestCli cli = new TestCli();
        cli.env.putAll(moto.childEnvironment());
        cli.env.put("PGLOGS_DEVEL_TABLE", table);
        return cli;
    }

    private static JsonNode report(TestCli cli, List<LogFileSplitter.RawEntry> entries, String... more)
            throws Exception {
        Instant first = entries.stream().map(e -> PARSER.parse(e.text()).timestamp()).filter(Objects::nonNull)
                .min(Instant::compareTo).orElseThrow();
        Instant last = entries.stream().map(e -> PARSER.parse(e.text()).timestamp()).filter(Objects::nonNull)
                .max(Instant::compareTo).orElseThrow();
        List<String> args = new ArrayList<>(List.of("report", "--instance", INSTANCE, "--since",
                first.minusSeconds(60).toString(), "--until", last.plusSeconds(60).toString(), "--top", "100",
                "--max-fingerprints", "10000", "-o", "json"));
        args.addAll(List.of(more));
        TestCli.Result r = cli.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.toString());
        return JSON.readTree(r.out());
    }

    /** The report equals the one from entries, every entry read from entries because the day is not summarised. */
    private static void assertReadFromEntries(TestCli cli, List<LogFileSplitter.RawEntry> entries) throws Exception {
        JsonNode summaries = report(cli, entries);
        JsonNode fromEntries = report(cli, entries, "--no-summaries");
        JsonNode sources = summaries.path("overview").path("sources");
        assertEquals(0, sources.path("summaries").asLong(), sources.toString());
        assertTrue(sources.toString().contains("not summarised"), sources.toString());
        for (JsonNode doc : List.of(summaries, fromEntries)) {
            ((ObjectNode) doc.path("overview")).remove("sources");
            ((ObjectNode) doc).remove("read");
        }
        assertTrue(fromEntries.path("overview").path("entries").asLong() > 0);
        assertEquals(fromEntries.toPrettyString(), summaries.toPrettyString());
    }

    private TestCli.Result importCorpus(TestCli cli, List<LogFileSplitter.RawEntry> entries) throws Exception {
        Path file = tmp.resolve("postgresql.log");
        StringBuilder text = new StringBuilder();
        entries.forEach(e -> text.append(e.text()).append('\n'));
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return cli.run("import", "--no-rollup", "--instance", INSTANCE, file.toString());
    }

    private static boolean anyMarked(String table) {
        return LogTables.catalog(ddb, table).stream().anyMatch(i -> i.containsKey(ItemContract.SUMMARISED)
                && i.get(ItemContract.SUMMARISED).bool());
    }

    @ParameterizedTest(name = "stored as {0}")
    @ValueSource(strings = {"entries", "compact"})
    void aPayloadWithARefusedEntryUnmarksADayAnImportSummarised(String format) throws Exception {
        String table = "compact".equals(format) ? LogTables.createCompact(ddb, "failrep")
                : LogTables.create(ddb, "failrep");
        List<LogFileSplitter.RawEntry> entries = Corpus.fresh("postgresql.log");
        TestCli cli = cli(table);
        TestCli.Result imported = importCorpus(cli, entries);
        assertEquals(0, imported.code(), imported.toString());
        assertTrue(anyMarked(table), "the import summarised the day");

        // The Lambda then delivers the same lines for the instance, one of them refused by DynamoDB.
        // The first line, its id sorting first among its second's ('0' before the ids' digits): in the compact
        // format the first entry of the first item, whose id is a plain attribute the proxy sees (one inside an item
        // is compressed out of sight, so a later line was refused or not as the corpus's run happened to pack it).
        List<LogEvent> events = new ArrayList<>(Corpus.asEvents(entries, 4).subList(0, 30));
        LogEvent bad = events.get(0);
        events.set(0, new LogEvent("0POISONID" + bad.id(), bad.timestamp(), bad.message()));
        String payload = Payloads.lambdaEvent("/aws/rds/instance/" + INSTANCE + "/postgresql", INSTANCE, events);
        try (FaultProxy proxy = new FaultProxy(moto.endpoint(), 0, List.of(), 1);
             DynamoDbClient viaProxy = MotoServer.dynamoDb(proxy.endpoint())) {
            proxy.refuseContaining("POISONID", null);
            ForwarderHandler handler = new ForwarderHandler(new ForwarderConfig(table, 90, 4, true, 4,
                    LogTimeZone.NONE, StorageFormat.of(format)), viaProxy);
            assertThrows(ForwardingFailedException.class, () -> handler.handleRequest(new ByteArrayInputStream(
                    payload.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(),
                    new BackfillImportTest.TestContext()));
        }
        assertFalse(anyMarked(table), LogTables.catalog(ddb, table).toString());
        assertReadFromEntries(cli, entries);
    }

    @Test
    void writersWithSummariesSwitchedOffByTheTableTagWriteNoneAndUnmarkTheDay() throws Exception {
        String table = LogTables.create(ddb, "switchrep");
        List<LogFileSplitter.RawEntry> entries = Corpus.fresh("postgresql.log");
        TestCli cli = cli(table);
        assertEquals(0, importCorpus(cli, entries.subList(0, entries.size() / 2)).code());
        assertTrue(anyMarked(table), "summarised while the tag is absent");
        int summaries = LogTables.summaries(ddb, table).size();
        assertTrue(summaries > 0);

        String arn = ddb.describeTable(b -> b.tableName(table)).table().tableArn();
        ddb.tagResource(b -> b.resourceArn(arn).tags(t -> t.key(ItemContract.SUMMARIES_TAG).value("false")));
        TestCli.Result imported = importCorpus(cli, entries);
        assertEquals(0, imported.code(), imported.toString());
        assertEquals(summaries, LogTables.summaries(ddb, table).size(), "no summary written with the tag false");
        assertFalse(anyMarked(table), LogTables.catalog(ddb, table).toString());
        assertReadFromEntries(cli, entries);
    }
}
