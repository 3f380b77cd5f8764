package io.pglogs.report;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The summary reader's JSON: what jackson writes (the summaries' writer) reads back; malformed JSON is refused. */
class SummaryJsonTest {
    private static final String AWKWARD = "quote \" backslash \\ slash / tab \t newline \n control \u0001 "
            + "caf\u00e9 \u4e2d\u6587 emoji \ud83d\ude00 end";

    @Test
    void readsBackWhatJacksonWrites() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("s", AWKWARD);
            g.writeStringField(AWKWARD, "as a name");
            g.writeArrayFieldStart("n");
            for (long n : new long[] {0, -1, 9, 10, -145, Long.MAX_VALUE, Long.MIN_VALUE, 999_999_999_999_999_999L}) {
                g.writeNumber(n);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("d");
            for (double d : new double[] {0.0, -2.5, 1e-7, 123456.789, 1.7976931348623157e308, 4.9e-324}) {
                g.writeNumber(d);
            }
            g.writeEndArray();
            g.writeObjectFieldStart("o");
            g.writeBooleanField("t", true);
            g.writeBooleanField("f", false);
            g.writeNullField("z");
            g.writeArrayFieldStart("e");
            g.writeEndArray();
            g.writeEndObject();
            g.writeNumberField("after", 7);
            g.writeEndObject();
        }
        byte[] json = out.toByteArray();
        SummaryJson p = new SummaryJson(json, 0, json.length);
        assertEquals(JsonToken.START_OBJECT, p.nextToken());
        assertEquals("s", p.nextFieldName());
        assertEquals(JsonToken.VALUE_STRING, p.nextToken());
        assertEquals(AWKWARD, p.getText());
        assertEquals(AWKWARD, p.nextFieldName());
        p.nextToken();
        assertEquals("as a name", p.getText());
        assertEquals("n", p.nextFieldName());
        p.nextToken();
        assertArrayEquals(new long[] {0, -1, 9, 10, -145, Long.MAX_VALUE, Long.MIN_VALUE, 999_999_999_999_999_999L},
                p.longs());
        assertEquals("d", p.nextFieldName());
        assertEquals(JsonToken.START_ARRAY, p.nextToken());
        List<Double> doubles = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            doubles.add(p.getDoubleValue());
        }
        assertEquals(List.of(0.0, -2.5, 1e-7, 123456.789, 1.7976931348623157e308, 4.9e-324), doubles);
        assertEquals("o", p.nextFieldName());
        assertEquals(JsonToken.START_OBJECT, p.nextToken());
        p.skipChildren();
        assertEquals(JsonToken.END_OBJECT, p.currentToken());
        assertEquals("after", p.nextFieldName());
        p.nextToken();
        assertEquals(7, p.getLongValue());
        assertEquals(JsonToken.END_OBJECT, p.nextToken());
        assertNull(p.nextToken(), "the end of the input");
    }

    @Test
    void escapesJacksonDoesNotWriteAreReadToo() throws IOException {
        byte[] json = "{\"k\":\"caf\\u00e9 \\ud83d\\ude00 \\b\\f\\r\\/\"}".getBytes(StandardCharsets.UTF_8);
        SummaryJson p = new SummaryJson(json, 0, json.length);
        p.nextToken();
        p.nextFieldName();
        p.nextToken();
        assertEquals("caf\u00e9 \ud83d\ude00 \b\f\r/", p.getText());
    }

    @Test
    void malformedJsonIsRefused() {
        for (String bad : List.of("{\"a\":1,}", "{\"a\" 1}", "{\"a\":[1,]}", "{\"a\":[1 2]}", "{\"a\":1", "[1,2",
                "{\"a\":\"open", "{\"a\":tru}", "{\"a\":-}", "{\"a\":1.}", "{\"a\":1e}", "{a:1}", "{\"a\":1]",
                "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":}", "{\"a\":[99999999999999999999]}")) {
            byte[] json = bad.getBytes(StandardCharsets.UTF_8);
            assertThrows(IOException.class, () -> readAll(json), bad);
        }
    }

    /** Reads every token, texts and numbers too (arrays as integers, as a sketch's are read). */
    private static void readAll(byte[] json) throws IOException {
        SummaryJson p = new SummaryJson(json, 0, json.length);
        for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
            if (t == JsonToken.START_ARRAY) {
                p.longs();
            } else if (t == JsonToken.VALUE_STRING) {
                p.getText();
            } else if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                p.getDoubleValue();
            }
        }
    }
}
