package io.pglogs.forwarder.dynamo;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.parse.LogEntry;
import io.pglogs.forwarder.parse.PostgresLogParser;
import io.pglogs.forwarder.parse.Redactor;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ItemFactoryTest {
    private static final String ID = "37861273641287364128736412873641287364128736412873641281";
    private final PostgresLogParser parser = new PostgresLogParser();
    private final ItemFactory factory = new ItemFactory(4, 90, new Redactor());
    private final LogSource source = LogSource.of("/aws/rds/instance/db1/postgresql", "db1.0");

    @Test
    void keysAndAttributesFollowTheContract() {
        String line = "2024-05-01 23:59:59 UTC:10.0.0.1(5000):app@appdb:[42]:ERROR:  division by zero";
        Map<String, AttributeValue> item = factory.build(source, ID, Instant.parse("2024-05-01T23:59:59.731Z")
                .toEpochMilli(), parser.parse(line)).item();
        CRC32 crc = new CRC32();
        crc.update(ID.getBytes(StandardCharsets.US_ASCII));
        assertEquals("db1#2024-05-01#" + (crc.getValue() % 4), item.get("pk").s());
        assertEquals("2024-05-01T23:59:59.731Z#" + ID, item.get("sk").s());
        assertEquals("2024-05-01T23:59:59.731Z", item.get("ts").s());
        assertEquals("db1", item.get("instance").s());
        assertEquals("/aws/rds/instance/db1/postgresql", item.get("log_group").s());
        assertEquals("db1.0", item.get("log_stream").s());
        assertEquals(ID, item.get("event_id").s());
        assertEquals("ERROR", item.get("severity").s());
        assertEquals("app", item.get("user").s());
        assertEquals("appdb", item.get("database").s());
        assertEquals("10.0.0.1(5000)", item.get("client").s());
        assertEquals("42", item.get("pid").n());
        assertEquals("division by zero", item.get("message").s());
        assertEquals(Long.toString(Instant.parse("2024-05-01T23:59:59Z").getEpochSecond() + 90 * 86_400L),
                item.get("expires_at").n());
        assertFalse(item.containsKey("cluster"));
        assertFalse(item.containsKey("redacted"));
        assertFalse(item.containsKey("truncated"));
    }

    @Test
    void theDayIsTheEntrysOwnNotTheDeliveryTime() {
        String line = "2024-05-01 23:59:59 UTC::@:[1]:LOG:  late";
        long deliveredNextDay = Instant.parse("2024-05-02T00:00:03Z").toEpochMilli();
        Map<String, AttributeValue> item = factory.build(source, ID, deliveredNextDay, parser.parse(line)).item();
        assertTrue(item.get("pk").s().startsWith("db1#2024-05-01#"));
        assertEquals("2024-05-01T23:59:59.000Z", item.get("ts").s());
    }

    @Test
    void unparsedLinesUseTheTransportTime() {
        long t = Instant.parse("2024-05-03T01:02:03.004Z").toEpochMilli();
        Map<String, AttributeValue> item = factory.build(source, ID, t, parser.parse("garbage")).item();
        assertEquals("UNKNOWN", item.get("severity").s());
        assertEquals("garbage", item.get("message").s());
        assertEquals("2024-05-03T01:02:03.004Z", item.get("ts").s());
    }

    @Test
    void sameEventSameKeys() {
        LogEntry e = parser.parse("2024-05-01 10:00:00 UTC::@:[1]:LOG:  x");
        var a = factory.build(source, ID, 0, e).item();
        var b = factory.build(source, ID, 0, e).item();
        assertEquals(a, b);
        assertNotEquals(a.get("sk"), factory.build(source, ID + "2", 0, e).item().get("sk"));
    }

    @Test
    void shardsSpreadEventsOfOneInstanceAndDay() {
        int[] counts = new int[4];
        for (int i = 0; i < 4000; i++) {
            counts[ItemContract.shardOf(String.format("%056d", 1_000_000L + i), 4)]++;
        }
        for (int c : counts) {
            assertTrue(c > 800 && c < 1200, java.util.Arrays.toString(counts));
        }
    }

    @Test
    void passwordsAreRedactedAndFlagged() {
        var built = factory.build(source, ID, 0,
                parser.parse("2024-05-01 10:00:00 UTC:[local]:postgres@db:[1]:LOG:  statement: ALTER ROLE a PASSWORD 'pw'"));
        assertEquals("statement: ALTER ROLE a PASSWORD '[redacted]'", built.item().get("message").s());
        assertTrue(built.item().get("redacted").bool());
        var unredacted = new ItemFactory(4, 90, null).build(source, ID, 0,
                parser.parse("2024-05-01 10:00:00 UTC:[local]:postgres@db:[1]:LOG:  statement: ALTER ROLE a PASSWORD 'pw'"));
        assertTrue(unredacted.item().get("message").s().contains("'pw'"));
    }

    @Test
    void longMessagesAreCutOnACharacterBoundaryAndFlagged() {
        String big = "é".repeat(ItemContract.MAX_MESSAGE_BYTES / 2 + 10); // 2 bytes each, past the limit
        var built = factory.build(source, ID, 0, parser.parse("2024-05-01 10:00:00 UTC::@:[1]:LOG:  x" + big));
        String stored = built.item().get("message").s();
        assertTrue(built.truncated());
        assertTrue(built.item().get("truncated").bool());
        assertEquals(Integer.toString(("x" + big).getBytes(StandardCharsets.UTF_8).length),
                built.item().get("original_bytes").n());
        int bytes = stored.getBytes(StandardCharsets.UTF_8).length;
        assertTrue(bytes <= ItemContract.MAX_MESSAGE_BYTES && bytes >= ItemContract.MAX_MESSAGE_BYTES - 1);
        assertFalse(stored.contains("\uFFFD"));
        assertTrue(ItemSize.bytes(built.item()) < 400 * 1024);
    }

    @Test
    void clusterIsRecordedForAurora() {
        var item = factory.build(LogSource.of("/aws/rds/cluster/c1/postgresql", "c1-instance-2"), ID, 0,
                parser.parse("x")).item();
        assertEquals("c1-instance-2", item.get("instance").s());
        assertEquals("c1", item.get("cluster").s());
    }

    @Test
    void isoMillisIsFixedWidth() {
        assertEquals("1970-01-01T00:00:00.000Z", ItemContract.isoMillis(Instant.EPOCH));
        assertEquals("2024-12-31T23:59:59.999Z", ItemContract.isoMillis(Instant.parse("2024-12-31T23:59:59.999Z")));
    }

    @Test
    void aReducedItemKeepsKeysAndFlagsAndIsPlainAsciiAndSmall() {
        String line = "2024-05-01 10:00:00 UTC:10.0.0.1(5000):b\u00f6b@appdb:[42]:LOG:  " + "\u00e9".repeat(200_000);
        ItemFactory.Built built = factory.build(source, ID, 0, parser.parse(line));
        Map<String, AttributeValue> reduced = ItemFactory.reduced(built.item(), "ValidationException: too big \u2620");
        assertEquals(built.item().get("pk"), reduced.get("pk"));
        assertEquals(built.item().get("sk"), reduced.get("sk"));
        assertEquals(built.item().get("expires_at"), reduced.get("expires_at"));
        assertEquals("b\\u00f6b", reduced.get("user").s());
        assertEquals("ValidationException: too big \\u2620", reduced.get("reduced").s());
        String message = reduced.get("message").s();
        assertEquals(ItemFactory.REDUCED_MESSAGE_CHARS - ItemFactory.REDUCED_MESSAGE_CHARS % 6, message.length());
        assertTrue(message.chars().allMatch(c -> c >= 0x20 && c < 0x7f), "ASCII only");
        assertTrue(reduced.get("truncated").bool());
        assertEquals(Integer.toString(400_000), reduced.get("original_bytes").n());
        assertTrue(ItemSize.bytes(reduced) < 70_000);
    }

    @Test
    void asciiEscapingIsReversibleAndNeverCutsAnEscape() {
        assertEquals("a\\\\b\\u0007\n\t\\ud83d\\ude00", ItemFactory.asciiEscaped("a\\b\u0007\n\t\ud83d\ude00", 100));
        assertEquals("ab", ItemFactory.asciiEscaped("ab\u00e9", 7));
    }
}
