package io.pglogs.forwarder.dynamo;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** DynamoDB's item-size rule, for write-unit accounting: names plus values, strings in UTF-8. */
public final class ItemSize {
    private ItemSize() {
    }

    public static int bytes(Map<String, AttributeValue> item) {
        int total = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            total += utf8(e.getKey()) + valueBytes(e.getValue());
        }
        return total;
    }

    /** Write request units one standard PutItem of this item costs: one per started KB. */
    public static int writeUnits(Map<String, AttributeValue> item) {
        return Math.max(1, (bytes(item) + 1023) / 1024);
    }

    private static int valueBytes(AttributeValue v) {
        if (v.s() != null) {
            return utf8(v.s());
        }
        if (v.n() != null) {
            // Numbers are stored as up to 38 significant digits: roughly one byte per two digits, plus one.
            String digits = v.n().replace("-", "").replace(".", "");
            return (digits.length() + 1) / 2 + 1;
        }
        if (v.bool() != null || v.nul() != null) {
            return 1;
        }
        if (v.b() != null) {
            return v.b().asByteArrayUnsafe().length;
        }
        if (v.hasSs()) {
            int total = 0;
            for (String s : v.ss()) {
                total += utf8(s);
            }
            return total;
        }
        return 0;
    }

    private static int utf8(String s) {
        int n = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return n;
    }
}
