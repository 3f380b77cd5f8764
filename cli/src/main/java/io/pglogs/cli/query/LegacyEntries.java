package io.pglogs.cli.query;

import io.pglogs.forwarder.dynamo.ItemFactory;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The items of a table of one item per entry, those stored before entries had kinds classified here as the forwarder
 * classifies today ({@link ItemFactory#classified}). The Query lets such an item through whatever is asked of its
 * kind, duration or fingerprint (it has none to filter on): here it is matched, and dropped unless it matches.
 * Single consumer.
 */
final class LegacyEntries implements EntryCursor {
    private final EntryCursor items;
    private final EntryMatch match;
    private Map<String, AttributeValue> head;

    LegacyEntries(EntryCursor items, EntryMatch match) {
        this.items = items;
        this.match = match;
    }

    @Override
    public void start() {
        items.start();
    }

    @Override
    public Map<String, AttributeValue> peek() {
        while (head == null) {
            Map<String, AttributeValue> item = items.next();
            if (item == null) {
                return null;
            }
            Map<String, AttributeValue> classified = ItemFactory.classified(item);
            // An item that had a kind was matched by DynamoDB; only one classified here is matched here.
            if (classified == item || match.matches(classified)) {
                head = classified;
            }
        }
        return head;
    }

    @Override
    public Map<String, AttributeValue> next() {
        Map<String, AttributeValue> e = peek();
        head = null;
        return e;
    }
}
