package io.pglogs.forwarder.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class EntryPartsTest {
    private static List<String> parts(String text) {
        return EntryParts.of(text).stream().map(p -> text.substring(p.start(), p.end())).toList();
    }

    @Test
    void eachFoldedFieldIsAPartWithoutItsLabel() {
        assertEquals(List.of("it's refused", "PL/pgSQL function inline_code_block line 1 at RAISE", "DO $$x$$"),
                parts("it's refused\nCONTEXT:  PL/pgSQL function inline_code_block line 1 at RAISE\n"
                        + "STATEMENT:  DO $$x$$"));
        assertEquals(List.of("SELECT 1"), parts("SELECT 1"));
        assertEquals(List.of("a\nb"), parts("a\nb"));
    }

    @Test
    void aContextsSqlStatementIsAPartFromAfterItsQuote() {
        assertEquals(List.of("ALTER SYSTEM cannot be executed from a function",
                        "ALTER SYSTEM SET app.api_token = 'x'\"\nPL/pgSQL function inline_code_block line 1 at SQL "
                                + "statement"),
                parts("ALTER SYSTEM cannot be executed from a function\nCONTEXT:  SQL statement \"ALTER SYSTEM SET "
                        + "app.api_token = 'x'\"\nPL/pgSQL function inline_code_block line 1 at SQL statement"));
        // Nested calls: each statement from its own quote.
        assertEquals(List.of("e", "a\"\nPL/pgSQL function g() line 1 at EXECUTE", "b 'it''s'\"\nPL/pgSQL function f()"),
                parts("e\nCONTEXT:  SQL statement \"a\"\nPL/pgSQL function g() line 1 at EXECUTE\nSQL expression "
                        + "\"b 'it''s'\"\nPL/pgSQL function f()"));
        // stderr: a CONTEXT line is an entry of its own.
        assertEquals(List.of("SET x = 1\"\n\tPL/pgSQL function f() line 2 at SQL statement"),
                parts("SQL statement \"SET x = 1\"\n\tPL/pgSQL function f() line 2 at SQL statement"));
    }

    @Test
    void theStatementRunsToTheEndWhateverLabelsItsLiteralsHold() {
        assertEquals(List.of("x", "ALTER ROLE bob PASSWORD 'a\nDETAIL:  b'"),
                parts("x\nSTATEMENT:  ALTER ROLE bob PASSWORD 'a\nDETAIL:  b'"));
    }

    @Test
    void aLabelLineInsideALiteralOrCommentOfTheStatementIsItsText() {
        assertEquals(List.of("statement: SET app.secret = 'abc\nDETAIL: hunter2'"),
                parts("statement: SET app.secret = 'abc\nDETAIL: hunter2'"));
        assertEquals(List.of("statement: SELECT 'a\nSQL statement \"x' AS q, 'hunter2' AS v"),
                parts("statement: SELECT 'a\nSQL statement \"x' AS q, 'hunter2' AS v"));
        assertEquals(List.of("statement: /*\nHINT: don't log this\n*/ SELECT 1"),
                parts("statement: /*\nHINT: don't log this\n*/ SELECT 1"));
        // At the statement's top level a label line is a field.
        assertEquals(List.of("statement: SELECT 'a'", "parameters: $1 = 'b'"),
                parts("statement: SELECT 'a'\nDETAIL:  parameters: $1 = 'b'"));
        // A CONTEXT's SQL statement ends at its closing quote; the next one is a part of its own.
        assertEquals(List.of("e", "SELECT \"c\" FROM t\"\nPL/pgSQL function g() line 1 at EXECUTE", "b\"\nf"),
                parts("e\nCONTEXT:  SQL statement \"SELECT \"c\" FROM t\"\nPL/pgSQL function g() line 1 at EXECUTE"
                        + "\nSQL statement \"b\"\nf"));
    }

    @Test
    void mapRedactsEachPartAndKeepsTheRest() {
        assertEquals("[it's]\nDETAIL:  [d]\nSTATEMENT:  [s]",
                EntryParts.map("it's\nDETAIL:  d\nSTATEMENT:  s", p -> "[" + p + "]"));
    }
}
