package io.pglogs.report;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** pgBadger's normalize_error, case by case (the oracle test compares whole logs). */
class ErrorMessagesTest {
    @Test
    void foldsWhatChangesFromOneErrorToTheNext() {
        assertEquals("duplicate key value violates unique constraint \"...\"",
                ErrorMessages.normalise("duplicate key value violates unique constraint \"accounts_pkey\""));
        assertEquals("relation \"...\" does not exist", ErrorMessages.normalise("relation \"nope\" does not exist"));
        assertEquals("invalid input syntax for type integer: ...",
                ErrorMessages.normalise("invalid input syntax for type integer: \"abc\""));
        assertEquals("process ... still waiting for ShareLock on transaction ... after ... ms",
                ErrorMessages.normalise("process 4751 still waiting for ShareLock on transaction 761 after 1000.123 ms"));
        assertEquals("syntax error", ErrorMessages.normalise("syntax error at character 15"));
        assertEquals("division by zero", ErrorMessages.normalise("division by zero"));
    }

    @Test
    void theSameErrorAboutOtherRowsIsOneMessage() {
        assertEquals(ErrorMessages.normalise("value too long for type character varying(10)"),
                ErrorMessages.normalise("value too long for type character varying(255)"));
        assertNotEquals(ErrorMessages.normalise("division by zero"),
                ErrorMessages.normalise("relation \"x\" does not exist"));
    }
}
