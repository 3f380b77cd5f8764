package io.pglogs.forwarder;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** PGLOGS_SUMMARIES: true or false, absent true; anything else is named in a clear error. */
class SummariesSettingTest {
    private static ForwarderConfig config(String value) {
        return ForwarderConfig.fromEnvironment(value == null ? Map.of("PGLOGS_TABLE", "t")
                : Map.of("PGLOGS_TABLE", "t", "PGLOGS_SUMMARIES", value));
    }

    @Test
    void absentOrTrueWritesSummariesFalseDoesNot() {
        assertTrue(config(null).summaries());
        assertTrue(config("").summaries());
        assertTrue(config("true").summaries());
        assertTrue(config(" TRUE ").summaries());
        assertFalse(config("false").summaries());
        assertFalse(config("False").summaries());
    }

    @Test
    void anythingElseIsRefusedByName() {
        ForwarderConfig.InvalidConfigException e = assertThrows(ForwarderConfig.InvalidConfigException.class,
                () -> config("off"));
        assertEquals("PGLOGS_SUMMARIES=off is not one of true, false", e.getMessage());
    }
}
