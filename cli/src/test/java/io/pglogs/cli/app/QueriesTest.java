package io.pglogs.cli.app;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.cli.query.ContextRows;
import io.pglogs.cli.query.Filters;
import io.pglogs.forwarder.dynamo.LogRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueriesTest {
    private static LogRow row(String key, String mark) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("message", key);
        if (mark != null) {
            attributes.put(LogRow.CONTEXT, mark);
        }
        return new LogRow(key, attributes);
    }

    private static List<String> handed(List<LogRow> rows, Integer limit) {
        List<String> out = new ArrayList<>();
        // As ContextRows says: the next row is context after the last match (here: the next in the list).
        java.util.function.BooleanSupplier groupContinues = () -> out.size() < rows.size()
                && ContextRows.AFTER.equals(rows.get(out.size()).text(LogRow.CONTEXT));
        int n = Queries.hand(rows.iterator(), limit, Filters.NONE, groupContinues, new Queries.Sink() {
            @Override
            public void start() {
            }

            @Override
            public void row(LogRow row) {
                out.add(row.sortKey());
            }
        });
        assertEquals(out.size(), n);
        return out;
    }

    @Test
    void theLimitCountsMatchesNotTheirContextAndFinishesTheLastGroup() {
        List<LogRow> rows = List.of(row("b1", ContextRows.BEFORE), row("m1", ContextRows.MATCH),
                row("a1", ContextRows.AFTER), row("b2", ContextRows.BEFORE), row("m2", ContextRows.MATCH),
                row("a2", ContextRows.AFTER), row("a2b", ContextRows.AFTER), row("b3", ContextRows.BEFORE),
                row("m3", ContextRows.MATCH));
        assertEquals(List.of("b1", "m1", "a1"), handed(rows, 1));
        assertEquals(List.of("b1", "m1", "a1", "b2", "m2", "a2", "a2b"), handed(rows, 2));
        assertEquals(9, handed(rows, null).size());
        assertEquals(List.of(), handed(rows, 0));
    }

    @Test
    void withoutContextTheLimitIsTheEntries() {
        List<LogRow> rows = List.of(row("1", null), row("2", null), row("3", null));
        assertEquals(List.of("1", "2"), handed(rows, 2));
    }
}
