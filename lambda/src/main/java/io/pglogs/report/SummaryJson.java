package io.pglogs.report;

import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A pull reader of one JSON document held in a byte array (UTF-8), with the few calls of jackson-core's JsonParser that
 * {@link SummaryMerger} makes. Why not jackson's parser: a summary is mostly small numbers (a sketch's buckets are
 * hundreds of counts per statement group), and jackson's per-token work (number buffers, lazy numeric state) was most
 * of a report's decoding time (issue 26 part 3); here a number is read straight from the bytes. It reads any JSON
 * (escapes, surrogate pairs, exponents); what it refuses it refuses with an IOException.
 */
final class SummaryJson {
    private static final byte OBJECT = 1;
    private static final byte ARRAY = 2;

    private final byte[] b;
    private final int end;
    private int pos;
    private JsonToken token;
    /** The last field name read: the name of the value just read (for messages). */
    private String name;
    /** The current string or number's bytes [start, stop), without quotes; whether the string has escapes. */
    private int start;
    private int stop;
    private boolean escaped;
    private long longValue;
    private byte[] stack = new byte[16];
    private long[] scratch = new long[256];
    private int depth;
    /** After a value or a container's end: a ',' or a closing bracket comes next. */
    private boolean afterValue;

    SummaryJson(byte[] data, int offset, int length) {
        b = data;
        pos = offset;
        end = offset + length;
    }

    JsonToken currentToken() {
        return token;
    }

    String currentName() {
        return name;
    }

    /** The next token; null at the end of the input (after the document). */
    JsonToken nextToken() throws IOException {
        int c = skipWhitespace();
        if (c < 0) {
            if (depth > 0 || token == JsonToken.FIELD_NAME) {
                throw new IOException("unexpected end of input");
            }
            return token = null;
        }
        if (c == '}' || c == ']') {
            byte open = c == '}' ? OBJECT : ARRAY;
            if (depth == 0 || stack[depth - 1] != open || token == JsonToken.FIELD_NAME
                    || token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY && !afterValue) {
                throw new IOException("unexpected '" + (char) c + "'");
            }
            depth--;
            pos++;
            afterValue = true;
            return token = open == OBJECT ? JsonToken.END_OBJECT : JsonToken.END_ARRAY;
        }
        if (afterValue) {
            if (depth == 0) {
                throw new IOException("content after the document");
            }
            if (c != ',') {
                throw new IOException("',' expected, found '" + (char) c + "'");
            }
            pos++;
            c = skipWhitespace();
            if (c < 0) {
                throw new IOException("unexpected end of input");
            }
        }
        if (depth > 0 && stack[depth - 1] == OBJECT && token != JsonToken.FIELD_NAME) {
            if (c != '"') {
                throw new IOException("a field name expected, found '" + (char) c + "'");
            }
            string();
            name = text();
            if (skipWhitespace() != ':') {
                throw new IOException("':' expected after \"" + name + "\"");
            }
            pos++;
            afterValue = false;
            return token = JsonToken.FIELD_NAME;
        }
        afterValue = true;
        switch (c) {
            case '{' -> {
                push(OBJECT);
                return token = JsonToken.START_OBJECT;
            }
            case '[' -> {
                push(ARRAY);
                return token = JsonToken.START_ARRAY;
            }
            case '"' -> {
                string();
                return token = JsonToken.VALUE_STRING;
            }
            case 't' -> {
                literal("true");
                return token = JsonToken.VALUE_TRUE;
            }
            case 'f' -> {
                literal("false");
                return token = JsonToken.VALUE_FALSE;
            }
            case 'n' -> {
                literal("null");
                return token = JsonToken.VALUE_NULL;
            }
            default -> {
                if (c == '-' || c >= '0' && c <= '9') {
                    return token = number();
                }
                throw new IOException("unexpected '" + (char) c + "'");
            }
        }
    }

    /** The next field's name, or null when the next token is not one. */
    String nextFieldName() throws IOException {
        return nextToken() == JsonToken.FIELD_NAME ? name : null;
    }

    long getLongValue() throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT) {
            return longValue;
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            return (long) getDoubleValue();
        }
        throw new IOException("not a number: " + token);
    }

    double getDoubleValue() throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT) {
            return longValue;
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            return Double.parseDouble(new String(b, start, stop - start, StandardCharsets.ISO_8859_1));
        }
        throw new IOException("not a number: " + token);
    }

    /** The current string, field name or number as text; null for other tokens. */
    String getText() throws IOException {
        return switch (token == null ? JsonToken.NOT_AVAILABLE : token) {
            case VALUE_STRING -> text();
            case FIELD_NAME -> name;
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new String(b, start, stop - start,
                    StandardCharsets.ISO_8859_1);
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            case VALUE_NULL -> "null";
            default -> null;
        };
    }

    /**
     * At the start of an array of integers (a sketch's buckets: most of a summary's tokens): its values, read without a
     * token each; the array's end is then the current token.
     */
    long[] longs() throws IOException {
        if (token != JsonToken.START_ARRAY) {
            throw new IOException("an array expected, found " + token);
        }
        int n = 0;
        int c = skipWhitespace();
        if (c != ']') {
            while (true) {
                if (n == scratch.length) {
                    scratch = java.util.Arrays.copyOf(scratch, n * 2);
                }
                scratch[n++] = integer(c);
                c = pos < end ? b[pos] : -1;
                if (c != ']' && c != ',') {
                    c = skipWhitespace();
                }
                if (c == ']') {
                    break;
                }
                if (c != ',') {
                    throw new IOException("',' expected in '" + name + "'");
                }
                pos++;
                c = pos < end ? b[pos] : -1;
                if (c != '-' && (c < '0' || c > '9')) {
                    c = skipWhitespace();
                }
            }
        }
        pos++;
        depth--;
        afterValue = true;
        token = JsonToken.END_ARRAY;
        return java.util.Arrays.copyOf(scratch, n);
    }

    /** The integer at pos, whose first byte is {@code c}: short ones read here, the rest as any number. */
    private long integer(int c) throws IOException {
        int i = pos;
        boolean negative = c == '-';
        if (negative) {
            i++;
        }
        long value = 0;
        int from = i;
        int limit = Math.min(end, from + 18);
        while (i < limit) {
            int digit = b[i] - '0';
            if (digit < 0 || digit > 9) {
                break;
            }
            value = value * 10 + digit;
            i++;
        }
        if (i > from && (i == end || b[i] == ',' || b[i] == ']')) {
            pos = i;
            return negative ? -value : value;
        }
        if (c != '-' && (c < '0' || c > '9') || number() != JsonToken.VALUE_NUMBER_INT) {
            throw new IOException("an integer expected in '" + name + "'");
        }
        return longValue;
    }

    /** At the start of an object or array: reads to its end. */
    void skipChildren() throws IOException {
        if (token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY) {
            return;
        }
        int level = depth;
        while (depth >= level) {
            if (nextToken() == null) {
                throw new IOException("unexpected end of input");
            }
        }
    }

    private void push(byte kind) {
        if (depth == stack.length) {
            stack = java.util.Arrays.copyOf(stack, depth * 2);
        }
        stack[depth++] = kind;
        pos++;
        afterValue = false;
    }

    private int skipWhitespace() {
        while (pos < end) {
            byte c = b[pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return c & 0xff;
            }
            pos++;
        }
        return -1;
    }

    private void literal(String word) throws IOException {
        for (int i = 0; i < word.length(); i++) {
            if (pos + i >= end || b[pos + i] != word.charAt(i)) {
                throw new IOException("unexpected '" + (char) (b[pos] & 0xff) + "'");
            }
        }
        pos += word.length();
    }

    /** A string from the '"' at pos: its bytes' span (escapes decoded when it is read). */
    private void string() throws IOException {
        int i = pos + 1;
        escaped = false;
        while (true) {
            if (i >= end) {
                throw new IOException("unexpected end of input in a string");
            }
            byte c = b[i];
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                escaped = true;
                i++;
            }
            i++;
        }
        start = pos + 1;
        stop = i;
        pos = i + 1;
    }

    private String text() throws IOException {
        if (!escaped) {
            return new String(b, start, stop - start, StandardCharsets.UTF_8);
        }
        StringBuilder out = new StringBuilder(stop - start);
        int run = start;
        for (int i = start; i < stop; i++) {
            if (b[i] != '\\') {
                continue;
            }
            out.append(new String(b, run, i - run, StandardCharsets.UTF_8));
            byte e = b[++i];
            switch (e) {
                case '"', '\\', '/' -> out.append((char) e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (i + 4 >= stop) {
                        throw new IOException("a short \\u escape");
                    }
                    int code = 0;
                    for (int k = 1; k <= 4; k++) {
                        int digit = Character.digit(b[i + k], 16);
                        if (digit < 0) {
                            throw new IOException("a bad \\u escape");
                        }
                        code = code * 16 + digit;
                    }
                    out.append((char) code);
                    i += 4;
                }
                default -> throw new IOException("a bad escape \\" + (char) e);
            }
            run = i + 1;
        }
        out.append(new String(b, run, stop - run, StandardCharsets.UTF_8));
        return out.toString();
    }

    /** A number at pos: an integer is read into longValue as it is scanned. */
    private JsonToken number() throws IOException {
        start = pos;
        int i = pos;
        boolean negative = b[i] == '-';
        if (negative) {
            i++;
        }
        int digitsFrom = i;
        long value = 0;
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            value = value * 10 + (b[i] - '0');
            i++;
        }
        int digits = i - digitsFrom;
        if (digits == 0) {
            throw new IOException("a number without digits");
        }
        boolean fraction = false;
        if (i < end && b[i] == '.') {
            fraction = true;
            i++;
            int from = i;
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
            if (i == from) {
                throw new IOException("a number without digits after '.'");
            }
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            fraction = true;
            i++;
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            int from = i;
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
            if (i == from) {
                throw new IOException("a number without digits in its exponent");
            }
        }
        stop = i;
        pos = i;
        if (fraction) {
            return JsonToken.VALUE_NUMBER_FLOAT;
        }
        if (digits > 18) {
            try {
                value = Long.parseLong(new String(b, start, stop - start, StandardCharsets.ISO_8859_1));
            } catch (NumberFormatException e) {
                throw new IOException("a number out of range", e);
            }
            longValue = value;
        } else {
            longValue = negative ? -value : value;
        }
        return JsonToken.VALUE_NUMBER_INT;
    }
}
