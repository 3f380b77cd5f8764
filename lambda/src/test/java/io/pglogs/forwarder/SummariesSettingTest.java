package io.pglogs.forwarder;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** PGLOGS_SUMMARIES: true or false, absent as auto gives the format; anything else is named in a clear error. */
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

    /** A compact table tagged before the switch existed gets what start's auto gives it: no summaries. */
    @Test
    void absentFollowsTheFormat() {
        assertFalse(ForwarderConfig.fromEnvironment(Map.of("PGLOGS_TABLE", "t", "PGLOGS_FORMAT", "compact"))
                .summaries());
        assertTrue(ForwarderConfig.fromEnvironment(Map.of("PGLOGS_TABLE", "t", "PGLOGS_FORMAT", "entries"))
                .summaries());
        assertTrue(ForwarderConfig.fromEnvironment(Map.of("PGLOGS_TABLE", "t", "PGLOGS_FORMAT", "compact",
                "PGLOGS_SUMMARIES", "true")).summaries());
    }

    @Test
    void anythingElseIsRefusedByName() {
        ForwarderConfig.InvalidConfigException e = assertThrows(ForwarderConfig.InvalidConfigException.class,
                () -> config("off"));
        assertEquals("PGLOGS_SUMMARIES=off is not one of true, false", e.getMessage());
    }
}
