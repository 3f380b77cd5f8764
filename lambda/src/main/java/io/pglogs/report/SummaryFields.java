package io.pglogs.report;

import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Map;

/**
 * What {@link SummaryMerger} and {@link StatementMerger} read alike from a summary's JSON: numbers, texts, count lists,
 * folded counts; anything not as the summaries' writer writes it is refused ("not a pglogs summary").
 */
abstract class SummaryFields {
    final SummaryJson p;

    SummaryFields(SummaryJson p) {
        this.p = p;
    }

    /** [key, count, key, count...] (hours, minutes) added to {@code into}. */
    final void counts(String name, Map<Long, long[]> into) throws IOException {
        long[] flat = p.longs();
        if (flat.length % 2 != 0) {
            throw bad("'" + name + "' has an odd length");
        }
        for (int i = 0; i < flat.length; i += 2) {
            long[] held = into.get(flat[i]);
            if (held == null) {
                into.put(flat[i], new long[] {flat[i + 1]});
            } else {
                held[0] += flat[i + 1];
            }
        }
    }

    final void names(Map<String, long[]> into) throws IOException {
        start(JsonToken.START_OBJECT);
        for (String f = p.nextFieldName(); f != null; f = p.nextFieldName()) {
            p.nextToken();
            long count = n();
            long[] held = into.get(f);
            if (held == null) {
                into.put(f, new long[] {count});
            } else {
                held[0] += count;
            }
        }
        end(JsonToken.END_OBJECT);
    }

    /** [groups, entries] folded in the summary's table, added to {@code table}'s. */
    final void folded(TopK<?, ?> table) throws IOException {
        start(JsonToken.START_ARRAY);
        long groups = 0;
        long entries = 0;
        if (p.nextToken() != JsonToken.END_ARRAY) {
            groups = n();
            if (p.nextToken() != JsonToken.END_ARRAY) {
                entries = n();
                end(p.nextToken(), JsonToken.END_ARRAY);
            }
        }
        table.addFolded(groups, entries);
    }

    final long n() throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            return (long) p.getDoubleValue();
        }
        throw bad("a number expected at '" + p.currentName() + "', found " + t);
    }

    final double d() throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
            return p.getDoubleValue();
        }
        throw bad("a number expected at '" + p.currentName() + "', found " + t);
    }

    final String text() throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw bad("a text expected at '" + p.currentName() + "', found " + t);
    }

    final void start(JsonToken expected) {
        if (p.currentToken() != expected) {
            throw bad(expected + " expected at '" + currentName() + "', found " + p.currentToken());
        }
    }

    final void end(JsonToken expected) {
        end(p.currentToken(), expected);
    }

    final void end(JsonToken found, JsonToken expected) {
        if (found != expected) {
            throw bad(expected + " expected, found " + found);
        }
    }

    private String currentName() {
        return p.currentName();
    }

    /** A field this reader does not know: written by a later pglogs of the same version, or not used. */
    final void skip(JsonToken t) throws IOException {
        if (t == null) {
            throw bad("unfinished object");
        }
        p.skipChildren();
    }

    static IllegalArgumentException bad(String why) {
        return new IllegalArgumentException("not a pglogs summary: " + why);
    }
}
