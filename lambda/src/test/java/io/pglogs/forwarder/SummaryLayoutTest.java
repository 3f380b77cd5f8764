package io.pglogs.forwarder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.ItemSize;
import io.pglogs.forwarder.dynamo.Roller;
import io.pglogs.forwarder.dynamo.SummaryItem;
import io.pglogs.report.ReportBuilder;
import io.pglogs.report.SummaryCodec;
import io.pglogs.testing.LongLayoutSummaries;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Summary items of the short layout against the long layout's real items (written by the code before it,
 * {@link LongLayoutSummaries}): the same keys, the same summary, read alike, and mixed in one span.
 */
class SummaryLayoutTest {
    private static final List<Map<String, AttributeValue>> OLD = LongLayoutSummaries.items();
    private static final List<Map<String, AttributeValue>> NEW = shortItems();

    private static List<Map<String, AttributeValue>> shortItems() {
        List<Map<String, AttributeValue>> entries = LongLayoutSummaries.entries();
        int cut = LongLayoutSummaries.FIRST_PAYLOAD;
        List<Map<String, AttributeValue>> out = new ArrayList<>(new Summariser(4).summaries(entries.subList(0, cut),
                LongLayoutSummaries.SOURCE));
        // The old parts were cut by the size of plain zlib; with the dictionary a part may hold more: cut the same
        // by giving each summary the limit its old part needed (the split halves entries, whatever the limit).
        out.addAll(new Summariser(4, LongLayoutSummaries.SPLIT_LIMIT).summaries(entries.subList(cut, entries.size()),
                LongLayoutSummaries.SOURCE));
        out.sort(java.util.Comparator.comparing(i -> i.get(ItemContract.SK).s()));
        return out;
    }

    @Test
    void theFixtureIsOfTheLongLayoutAndItsSplitPartsCarryAnEarlierPayloadTs() {
        assertEquals(13, OLD.size());
        assertTrue(OLD.stream().noneMatch(SummaryItem::isShort));
        assertTrue(OLD.stream().anyMatch(i -> !i.get(ItemContract.PAYLOAD_TS).equals(i.get(ItemContract.TS))));
    }

    /**
     * What this release cannot read is set aside before a report plans (review S1, M1), not found mid-merge: a later
     * pglogs's summary under another name than {@code sm} (docs/schema.md: {@code sm} is version 1 for ever), an
     * {@code sm} whose zlib header names another dictionary, a long item of another {@code summary_version}.
     */
    @Test
    void summariesOfALaterLayoutOrDictionaryOrVersionAreSetAsideByTheirAttributes() {
        Map<String, AttributeValue> later = new java.util.HashMap<>(NEW.get(0));
        AttributeValue sm = later.remove(SummaryItem.DATA);
        later.put("sm2", sm);
        SummaryItem read = SummaryItem.of(later);
        assertNull(read.data());
        assertEquals(SummaryItem.of(NEW.get(0)).ts(), read.ts());
        assertEquals(SummaryItem.of(NEW.get(0)).entries(), read.entries());
        assertEquals(SummaryItem.of(NEW.get(0)).stream(), read.stream());

        byte[] deflated = sm.b().asByteArray();
        assertTrue(SummaryCodec.knownDeflate(deflated), "this release's dictionary");
        byte[] otherDictionary = deflated.clone();
        otherDictionary[5] ^= 1; // the DICTID's last byte
        Map<String, AttributeValue> other = new java.util.HashMap<>(NEW.get(0));
        other.put(SummaryItem.DATA, AttributeValue.fromB(software.amazon.awssdk.core.SdkBytes.fromByteArray(
                otherDictionary)));
        assertNull(SummaryItem.of(other).data());
        Map<String, AttributeValue> notDeflated = new java.util.HashMap<>(NEW.get(0));
        notDeflated.put(SummaryItem.DATA, AttributeValue.fromB(software.amazon.awssdk.core.SdkBytes.fromUtf8String(
                "{\"v\":1}")));
        assertNull(SummaryItem.of(notDeflated).data());

        byte[] plain = OLD.get(0).get(ItemContract.SUMMARY).b().asByteArray();
        assertTrue(SummaryCodec.knownDeflate(plain), "plain zlib, as the long layout and rollups have it");
        assertTrue(SummaryItem.of(OLD.get(0)).data() != null);
        Map<String, AttributeValue> newerVersion = new java.util.HashMap<>(OLD.get(0));
        newerVersion.put(ItemContract.SUMMARY_VERSION, AttributeValue.fromN("2"));
        assertNull(SummaryItem.of(newerVersion).data());
        assertEquals(SummaryItem.of(OLD.get(0)).ts(), SummaryItem.of(newerVersion).ts());
    }

    /**
     * The short layout drops what the sort key ({@code ts}, {@code event_id}), the summary ({@code summary_version})
     * or the partition key ({@code instance}) say, and says the rest shorter: readers get the same of both.
     */
    @Test
    void bothLayoutsOfTheSameEntriesReadTheSame() {
        List<Map<String, AttributeValue>> news = splitLike(OLD);
        assertEquals(OLD.size(), news.size());
        for (int i = 0; i < OLD.size(); i++) {
            Map<String, AttributeValue> old = OLD.get(i);
            Map<String, AttributeValue> now = news.get(i);
            assertEquals(old.get(ItemContract.PK), now.get(ItemContract.PK), "the same keys");
            assertEquals(old.get(ItemContract.SK), now.get(ItemContract.SK));
            SummaryItem a = SummaryItem.of(old);
            SummaryItem b = SummaryItem.of(now);
            assertEquals(old.get(ItemContract.TS).s(), a.ts());
            assertEquals(old.get(ItemContract.EVENT_ID).s(), a.eventId());
            assertEquals(old.get(ItemContract.PAYLOAD_TS).s(), a.payloadTs());
            assertEquals(List.of(a.ts(), a.eventId(), a.lastTs(), a.lastEventId(), a.payloadTs(), a.entries(),
                    a.stream(), a.expiresAt()), List.of(b.ts(), b.eventId(), b.lastTs(), b.lastEventId(),
                    b.payloadTs(), b.entries(), b.stream(), b.expiresAt()), old.get(ItemContract.SK).s());
            // The same JSON inside: re-encoded as plain zlib, the new summary is the old item's bytes.
            byte[] oldBytes = old.get(ItemContract.SUMMARY).b().asByteArray();
            assertArrayEquals(oldBytes, SummaryCodec.encode(SummaryCodec.decode(b.data(),
                    ReportBuilder.Options.SUMMARY)));
            assertArrayEquals(oldBytes, SummaryCodec.encode(SummaryCodec.decode(a.data(),
                    ReportBuilder.Options.SUMMARY)));
            assertTrue(ItemSize.bytes(now) < ItemSize.bytes(old) - 150,
                    ItemSize.bytes(now) + " B against " + ItemSize.bytes(old));
            assertNull(now.get(ItemContract.INSTANCE));
            assertEquals(a.payloadTs().equals(a.ts()), !now.containsKey(SummaryItem.PAYLOAD_DELTA));
        }
    }

    /**
     * What a pglogs before the short layout reads of a summary item (main fbedbd3's SummaryItems.summary and
     * SummaryPlan: {@code entries} and {@code expires_at} parsed, {@code ts} and {@code last_ts} compared; its roller:
     * {@code summary} decoded when present): all there, and nothing it would decode. So it plans around the summary as
     * one it cannot read (no {@code summary_version}: its times read from entries) rather than fail, and its roller
     * makes no rollup of the span (no {@code summary}).
     */
    @Test
    void anOlderReaderFindsWhatItPlansWithAndNothingItWouldMisread() {
        for (Map<String, AttributeValue> now : NEW) {
            SummaryItem s = SummaryItem.of(now);
            assertEquals(s.entries(), Long.parseLong(now.get(ItemContract.ENTRIES).n()));
            assertTrue(Long.parseLong(now.get(ItemContract.EXPIRES_AT).n()) > 0);
            assertEquals(s.ts(), now.get(ItemContract.TS).s());
            assertEquals(s.lastTs(), now.get(ItemContract.LAST_TS).s());
            assertNull(now.get(ItemContract.SUMMARY_VERSION), "an older reader's readable() is false");
            assertNull(now.get(ItemContract.SUMMARY), "an older roller finds the span unusable");
        }
    }

    /** The new items, split as the old ones were (the first payload whole, the rest at the old parts' entries). */
    private static List<Map<String, AttributeValue>> splitLike(List<Map<String, AttributeValue>> old) {
        List<Map<String, AttributeValue>> entries = LongLayoutSummaries.entries();
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        int at = 0;
        for (Map<String, AttributeValue> o : old) {
            int n = Integer.parseInt(o.get(ItemContract.ENTRIES).n());
            List<Map<String, AttributeValue>> part = entries.subList(at, at + n);
            List<Map<String, AttributeValue>> made = new Summariser(4).summaries(part, LongLayoutSummaries.SOURCE);
            assertEquals(1, made.size());
            Map<String, AttributeValue> item = new java.util.HashMap<>(made.get(0));
            // A part of a split summary says its payload's first entry (summarised alone here, it would say its own):
            // what the Summariser writes for such a part (aSplitPayloadsPartsSayWhereItStartsAsTheLongLayoutDid).
            if (!o.get(ItemContract.PAYLOAD_TS).equals(o.get(ItemContract.TS))) {
                long delta = ItemContract.epochMillis(o.get(ItemContract.TS).s())
                        - ItemContract.epochMillis(o.get(ItemContract.PAYLOAD_TS).s());
                item.put(SummaryItem.PAYLOAD_DELTA, AttributeValue.fromN(Long.toString(delta)));
            }
            out.add(item);
            at += n;
        }
        assertEquals(entries.size(), at);
        return out;
    }

    @Test
    void aSplitPayloadsPartsSayWhereItStartsAsTheLongLayoutDid() {
        // The Summariser's own split (by the dictionary's sizes): every part after the first says the first's time.
        List<Map<String, AttributeValue>> rest = NEW.subList(1, NEW.size());
        assertTrue(rest.size() >= 2, rest.size() + " parts");
        String first = SummaryItem.of(rest.get(0)).ts();
        for (Map<String, AttributeValue> part : rest) {
            assertEquals(first, SummaryItem.of(part).payloadTs());
        }
        assertEquals(OLD.get(1).get(ItemContract.PAYLOAD_TS).s(), first, "the same payload start as the old parts");
    }

    /** A span of old and new summaries (a forwarder upgraded mid-span) rolls up as a span of old ones. */
    @Test
    void aRollupOfMixedLayoutsIsTheRollupOfTheOldOnes() {
        List<Map<String, AttributeValue>> news = splitLike(OLD);
        List<Map<String, AttributeValue>> mixed = new ArrayList<>();
        for (int i = 0; i < OLD.size(); i++) {
            mixed.add(i % 2 == 0 ? OLD.get(i) : news.get(i));
        }
        var key = ItemContract.rollupKey("corpus-db", ItemContract.compactSpan(SummaryItem.of(OLD.get(0)).ts()));
        Map<String, AttributeValue> fromOld = Roller.rollup("corpus-db", key, OLD, null);
        Map<String, AttributeValue> fromMixed = Roller.rollup("corpus-db", key, mixed, null);
        Map<String, AttributeValue> fromNew = Roller.rollup("corpus-db", key, news, null);
        assertEquals(fromOld, fromMixed);
        assertEquals(fromOld, fromNew);
        assertEquals("146", fromOld.get(ItemContract.ENTRIES).n());
    }

    @Test
    void theStreamIdIsTheFirstEightBytesOfSha256OfGroupNulStream() {
        // Python: hashlib.sha256(b'/aws/rds/instance/corpus-db/postgresql\0corpus-db.0').hexdigest()[:16]
        assertEquals("81c336d7b0254276", SummaryItem.streamId("/aws/rds/instance/corpus-db/postgresql",
                "corpus-db.0"));
        assertEquals("6e340b9cffb37a98", SummaryItem.streamId(null, null), "none: both empty");
        assertNotEquals(SummaryItem.streamId("a", "bc"), SummaryItem.streamId("ab", "c"));
        assertEquals("81c336d7b0254276", SummaryItem.of(OLD.get(0)).stream(), "an old item's, of its attributes");
        assertEquals("81c336d7b0254276", NEW.get(0).get(SummaryItem.STREAM).s());
    }

    /** Redelivered, a payload writes the same keys with the same bytes. */
    @Test
    void theShortLayoutIsIdempotent() {
        assertEquals(NEW, shortItems());
    }
}
