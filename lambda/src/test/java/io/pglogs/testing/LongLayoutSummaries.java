package io.pglogs.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.dynamo.ItemFactory;
import io.pglogs.forwarder.parse.PostgresLogParser;
import io.pglogs.forwarder.parse.Redactor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Summary items of the long layout, as forwarders before the short one wrote them: {@code
 * src/test/resources/summaries/long-layout-items.jsonl} (DynamoDB JSON, one item a line, by sort key) was written by
 * the {@code Summariser} of pglogs at main fbedbd3 (the commit before the short layout), run on {@link #entries()}:
 * the snapshot corpus {@code postgresql.log} as the forwarder builds its entries ({@link #SOURCE}, 4 shards, a TTL of
 * 90 days), summarised as two payloads: its first {@link #FIRST_PAYLOAD} entries with the default size limit (one
 * item), the rest with a limit of {@link #SPLIT_LIMIT} bytes (split for size: 12 parts, those after the first
 * carrying an earlier {@code payload_ts}). Real old items, bytes and all, to read beside new ones.
 */
public final class LongLayoutSummaries {
    public static final LogSource SOURCE = LogSource.of("/aws/rds/instance/corpus-db/postgresql", "corpus-db.0");
    public static final int FIRST_PAYLOAD = 120;
    public static final int SPLIT_LIMIT = 300;

    private LongLayoutSummaries() {
    }

    /** The fixture's items, by sort key. */
    public static List<Map<String, AttributeValue>> items() {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(LongLayoutSummaries.class
                .getResourceAsStream("/summaries/long-layout-items.jsonl"), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                Map<String, AttributeValue> item = new HashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = json.readTree(line).fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    JsonNode v = e.getValue();
                    item.put(e.getKey(), v.has("S") ? AttributeValue.fromS(v.get("S").asText())
                            : v.has("N") ? AttributeValue.fromN(v.get("N").asText())
                            : AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder()
                                    .decode(v.get("B").asText()))));
                }
                out.add(item);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The entry items the fixture summarises, as this pglogs builds them (the same as then: entries are unchanged). */
    public static List<Map<String, AttributeValue>> entries() {
        ItemFactory.ForSource factory = new ItemFactory(4, 90, new Redactor()).forSource(SOURCE);
        PostgresLogParser parser = new PostgresLogParser();
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        for (LogEvent e : Corpus.asEvents(Corpus.snapshot("postgresql.log"), 1)) {
            out.add(factory.build(e.id(), e.timestamp(), parser.parse(e.message())).item());
        }
        return out;
    }
}
