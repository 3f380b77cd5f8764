package io.pglogs.report;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON into plain values (maps, lists, strings, Long, Double, Boolean) with jackson-core's parser: the Lambda carries
 * no databind, and a summary is small enough to read whole.
 */
final class JsonValues {
    private JsonValues() {
    }

    /** The value at the parser's current token (which must be one). */
    static Object read(JsonParser p) throws IOException {
        if (p.currentToken() == null) {
            throw new IOException("no JSON value");
        }
        return switch (p.currentToken()) {
            case START_OBJECT -> {
                Map<String, Object> m = new HashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    m.put(name, read(p));
                }
                if (p.currentToken() != JsonToken.END_OBJECT) {
                    throw new IOException("unfinished object");
                }
                yield m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    if (t == null) {
                        throw new IOException("unfinished array");
                    }
                    l.add(read(p));
                }
                yield l;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getLongValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IOException("unexpected " + p.currentToken());
        };
    }
}
