package io.pglogs.cli.ingest;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Comparing what the table publishes with what the function was given. */
class DeployedSettingsTest {
    private static DeployedSettings.Setting format(Map<String, String> tags, Map<String, String> function) {
        return DeployedSettings.compare(tags, function).stream().filter(s -> s.name().equals("format")).findFirst()
                .orElseThrow();
    }

    @Test
    void aCompactFunctionOnATableWithoutTheTagDisagrees() {
        // Readers take an untagged table for an entries table: compact items written there would be misread.
        assertTrue(format(Map.of(), Map.of("PGLOGS_FORMAT", "compact")).disagree());
        assertFalse(format(Map.of(), Map.of("PGLOGS_FORMAT", "entries")).disagree());
        assertFalse(format(Map.of(), Map.of()).disagree());
        assertFalse(format(Map.of("pglogs:format", "compact"), Map.of("PGLOGS_FORMAT", "COMPACT")).disagree());
    }

    /** Levels compare by meaning: the tag's true is the function's passwords, and literals is neither. */
    @Test
    void redactionLevelsCompareByMeaning() {
        assertFalse(redact(Map.of("pglogs:redact", "true"), Map.of("PGLOGS_REDACT", "passwords")).disagree());
        assertFalse(redact(Map.of("pglogs:redact", "false"), Map.of("PGLOGS_REDACT", "none")).disagree());
        assertTrue(redact(Map.of("pglogs:redact", "literals"), Map.of("PGLOGS_REDACT", "true")).disagree());
        assertEquals("literals", redact(Map.of("pglogs:redact", "LITERALS"), Map.of()).table());
        assertEquals(io.pglogs.forwarder.parse.Redaction.PASSWORDS, DeployedSettings.DEFAULTS.redaction());
    }

    private static DeployedSettings.Setting redact(Map<String, String> tags, Map<String, String> function) {
        return DeployedSettings.compare(tags, function).stream().filter(s -> s.name().equals("redact")).findFirst()
                .orElseThrow();
    }
}
