package io.pglogs.forwarder.dynamo;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.parse.PostgresLogParser;
import io.pglogs.forwarder.parse.Redactor;
import io.pglogs.testing.Corpus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The compact layout on a real server's corpus: lossless, within a write unit, keyed by its content. */
class CompactItemsTest {
    private static final LogSource SOURCE = LogSource.of("/aws/rds/instance/corpus-db/postgresql", "corpus-db.0");

    private static List<Map<String, AttributeValue>> entries(String corpus) {
        ItemFactory.ForSource factory = new ItemFactory(4, 90, new Redactor()).forSource(SOURCE);
        PostgresLogParser parser = new PostgresLogParser();
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        for (LogEvent e : Corpus.asEvents(Corpus.fresh(corpus), 1)) {
            out.add(factory.build(e.id(), e.timestamp(), parser.parse(e.message())).item());
        }
        return out;
    }

    private static Map<String, AttributeValue> withoutPk(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> m = new HashMap<>(item);
        m.remove(ItemContract.PK);
        return m;
    }

    @Test
    void everyEntryComesBackWithEveryAttributeAsTheEntriesFormatStoresIt() {
        for (String corpus : List.of("postgresql.log", "postgresql.csv", "postgresql.json", "pg16prefix.log")) {
            List<Map<String, AttributeValue>> entries = entries(corpus);
            CompactItems.Packed packed = new CompactItems(4).pack(entries);
            assertEquals(entries.size(), packed.entries());
            Map<String, Map<String, AttributeValue>> back = new HashMap<>();
            for (Map<String, AttributeValue> item : packed.items()) {
                for (Map<String, AttributeValue> e : CompactItems.entries(item)) {
                    assertNull(back.put(e.get(ItemContract.EVENT_ID).s(), withoutPk(e)), "twice");
                    assertEquals(item.get(ItemContract.PK), e.get(ItemContract.PK));
                }
            }
            assertEquals(entries.size(), back.size(), corpus);
            for (Map<String, AttributeValue> e : entries) {
                assertEquals(withoutPk(e), back.get(e.get(ItemContract.EVENT_ID).s()), corpus);
            }
        }
    }

    @Test
    void itemsFitAWriteUnitHoldOneSpanAndSayWhatTheyHold() {
        List<Map<String, AttributeValue>> entries = entries("postgresql.log");
        CompactItems.Packed packed = new CompactItems(4).pack(entries);
        assertTrue(packed.items().size() * 5 <= entries.size(), packed.items().size() + " items for "
                + entries.size() + " entries");
        for (Map<String, AttributeValue> item : packed.items()) {
            List<Map<String, AttributeValue>> inside = CompactItems.entries(item);
            assertTrue(ItemSize.bytes(item) <= 1024 || inside.size() == 1, ItemSize.bytes(item) + " bytes");
            assertEquals(inside.size(), Integer.parseInt(item.get(ItemContract.ENTRIES).n()));
            String first = inside.get(0).get(ItemContract.TS).s();
            String last = inside.get(inside.size() - 1).get(ItemContract.TS).s();
            assertEquals(first, item.get(ItemContract.TS).s());
            assertEquals(last, item.get(ItemContract.LAST_TS).s());
            assertTrue(item.get(ItemContract.SK).s().startsWith(first + "#"));
            assertEquals(ItemContract.compactSpan(first), ItemContract.compactSpan(last), "one span");
            assertTrue(last.compareTo(ItemContract.compactSpanEnd(first)) < 0, last);
            TreeSet<String> severities = new TreeSet<>();
            String previous = "";
            for (Map<String, AttributeValue> e : inside) {
                severities.add(e.get(ItemContract.SEVERITY).s());
                assertTrue(e.get(ItemContract.SK).s().compareTo(previous) > 0, "in key order");
                previous = e.get(ItemContract.SK).s();
            }
            assertEquals(new ArrayList<>(severities), item.get(ItemContract.SEVERITIES).ss());
            // The kinds of its entries but the routine ones, beside the severities: a filter on the others skips
            // the item unopened.
            TreeSet<String> kinds = new TreeSet<>(inside.stream().map(e -> e.get(ItemContract.KIND).s())
                    .filter(k -> !io.pglogs.forwarder.parse.EntryKind.ROUTINE.contains(k)).toList());
            if (kinds.isEmpty()) {
                assertFalse(item.containsKey(ItemContract.KINDS));
            } else {
                assertEquals(new ArrayList<>(kinds), item.get(ItemContract.KINDS).ss());
            }
            assertEquals(Long.parseLong(inside.get(inside.size() - 1).get(ItemContract.EXPIRES_AT).n()),
                    Long.parseLong(item.get(ItemContract.EXPIRES_AT).n()));
            assertEquals("corpus-db#" + first.substring(0, 10) + "#"
                    + ItemContract.shardOf(inside.get(0).get(ItemContract.EVENT_ID).s(), 4),
                    item.get(ItemContract.PK).s());
        }
    }

    @Test
    void theSpanWritersCutAtIsTheOneReadersQueryFromAndNoSpanHoldsTwoDays() {
        assertEquals(0, 86_400_000L % ItemContract.COMPACT_SPAN_MILLIS, "the span divides a day");
        Random random = new Random(17);
        for (int i = 0; i < 10_000; i++) {
            Instant t = Instant.ofEpochMilli(1_700_000_000_000L + random.nextLong(400L * 86_400_000L));
            String ts = ItemContract.isoMillis(t);
            String spanEnd = ItemContract.compactSpanEnd(ts);
            String floor = ItemContract.compactSortKeyFloor(t);
            assertTrue(floor.compareTo(ts) <= 0 && ts.compareTo(spanEnd) < 0, ts);
            assertEquals(Instant.parse(floor).plusMillis(ItemContract.COMPACT_SPAN_MILLIS), Instant.parse(spanEnd), ts);
            assertEquals(ItemContract.compactSpan(floor), ItemContract.compactSpan(ts), ts);
            assertEquals(ItemContract.compactSpan(ts) + 1, ItemContract.compactSpan(spanEnd), ts);
            assertEquals(floor.substring(0, 10), ItemContract.isoMillis(Instant.parse(spanEnd).minusMillis(1))
                    .substring(0, 10), ts);
        }
        // The corpus fits in one span: these entries, 7.3 s apart, cross many spans and midnight. Each span's entries
        // are cut from the next's.
        ItemFactory.ForSource factory = new ItemFactory(4, 90, new Redactor()).forSource(SOURCE);
        PostgresLogParser parser = new PostgresLogParser();
        List<Map<String, AttributeValue>> entries = new ArrayList<>();
        TreeSet<Long> spans = new TreeSet<>();
        Instant start = Instant.parse("2024-05-01T23:21:13.250Z");
        for (int i = 0; i < 900; i++) {
            Instant at = start.plusMillis(7_300L * i);
            String stamp = at.toString().replace("T", " ").substring(0, 19);
            entries.add(factory.build(String.format("%056d", i), at.toEpochMilli(),
                    parser.parse(stamp + " UTC::@:[77]:LOG:  " + i)).item());
            spans.add(ItemContract.compactSpan(ItemContract.isoMillis(at)));
        }
        TreeSet<Long> itemSpans = new TreeSet<>();
        for (Map<String, AttributeValue> item : new CompactItems(4).pack(entries).items()) {
            long span = ItemContract.compactSpan(item.get(ItemContract.TS).s());
            assertEquals(span, ItemContract.compactSpan(item.get(ItemContract.LAST_TS).s()),
                    item.get(ItemContract.SK).s());
            itemSpans.add(span);
        }
        assertEquals(spans, itemSpans);
    }

    @Test
    void theSameEntriesInAnyOrderPackIntoTheSameItemsAndRepeatedIdsOnce() {
        List<Map<String, AttributeValue>> entries = entries("postgresql.log");
        List<Map<String, AttributeValue>> shuffled = new ArrayList<>(entries);
        Collections.shuffle(shuffled, new Random(3));
        shuffled.addAll(entries.subList(0, 10));
        CompactItems compact = new CompactItems(4);
        CompactItems.Packed once = compact.pack(entries);
        CompactItems.Packed again = compact.pack(shuffled);
        assertEquals(once.items(), again.items());
        assertEquals(10, again.duplicates());
        // A payload that is part of another packs differently, under other keys: both are kept, never overwritten.
        List<String> keys = once.items().stream().map(i -> i.get(ItemContract.SK).s()).toList();
        CompactItems.Packed part = compact.pack(entries.subList(3, entries.size()));
        assertFalse(keys.contains(part.items().get(0).get(ItemContract.SK).s()));
    }

    @Test
    void aSingleHugeEntryIsAnItemOfItsOwn() {
        List<Map<String, AttributeValue>> entries = new ArrayList<>(entries("postgresql.log").subList(0, 30));
        Map<String, AttributeValue> big = new HashMap<>(entries.get(5));
        StringBuilder noise = new StringBuilder();
        Random r = new Random(1);
        while (noise.length() < 20_000) {
            noise.append(Integer.toString(r.nextInt(), 36));
        }
        big.put(ItemContract.MESSAGE, AttributeValue.fromS(noise.toString()));
        entries.set(5, big);
        CompactItems.Packed packed = new CompactItems(4).pack(entries);
        int total = 0;
        for (Map<String, AttributeValue> item : packed.items()) {
            List<Map<String, AttributeValue>> inside = CompactItems.entries(item);
            total += inside.size();
            if (ItemSize.bytes(item) > 1024) {
                assertEquals(1, inside.size());
                assertEquals(noise.toString(), inside.get(0).get(ItemContract.MESSAGE).s());
            }
        }
        assertEquals(30, total);
    }
    @Test
    void aDamagedItemIsNamedByItsWholeKey() {
        Map<String, AttributeValue> item = new HashMap<>(new CompactItems(4).pack(entries("postgresql.log"))
                .items().get(0));
        item.put(ItemContract.DATA, AttributeValue.fromB(SdkBytes.fromUtf8String("not zlib")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CompactItems.entries(item));
        assertTrue(e.getMessage().startsWith("compact item pk=" + item.get(ItemContract.PK).s() + " sk="
                + item.get(ItemContract.SK).s() + " cannot be read: "), e.getMessage());

        item.remove(ItemContract.LAST_TS);
        e = assertThrows(IllegalArgumentException.class, () -> CompactItems.entries(item));
        assertTrue(e.getMessage().contains("an attribute it needs is missing or malformed"), e.getMessage());
    }

    @Test
    void anItemThatWouldUnpackWithoutEndIsRefused() {
        Map<String, AttributeValue> item = new HashMap<>(new CompactItems(4).pack(entries("postgresql.log"))
                .items().get(0));
        // 64 MB of spaces compress to about 64 KB: well inside DynamoDB's 400 KB item limit.
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        byte[] spaces = new byte[64 << 20];
        java.util.Arrays.fill(spaces, (byte) ' ');
        deflater.setInput(spaces);
        deflater.finish();
        java.io.ByteArrayOutputStream bomb = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        while (!deflater.finished()) {
            bomb.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();
        assertTrue(bomb.size() < 400_000, bomb.size() + " bytes");
        item.put(ItemContract.DATA, AttributeValue.fromB(SdkBytes.fromByteArray(bomb.toByteArray())));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CompactItems.entries(item));
        assertTrue(e.getMessage().endsWith("it unpacks to more than " + CompactItems.MAX_UNPACKED_BYTES + " bytes"),
                e.getMessage());
    }
}
