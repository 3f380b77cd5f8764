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

    /**
     * The CLI's writers follow pglogs:summaries as the Lambda follows PGLOGS_SUMMARIES: absent is true on an entries
     * table, false on a compact one (what auto gives).
     */
    @Test
    void summariesFollowTheTableTagThenTheFunction() {
        assertTrue(of(Map.of(), null).summaries());
        assertFalse(of(Map.of("pglogs:summaries", "false"), null).summaries());
        assertFalse(of(Map.of(), Map.of("PGLOGS_SUMMARIES", "FALSE")).summaries());
        assertTrue(of(Map.of("pglogs:summaries", "true"), Map.of()).summaries());
        assertThrows(io.pglogs.cli.error.PreconditionException.class,
                () -> of(Map.of("pglogs:summaries", "false"), Map.of("PGLOGS_SUMMARIES", "true")));
        assertThrows(io.pglogs.cli.error.PreconditionException.class, () -> of(Map.of("pglogs:summaries", "off"),
                null));
        assertTrue(DeployedSettings.DEFAULTS.summaries());
        assertFalse(of(Map.of("pglogs:format", "compact"), null).summaries());
        assertTrue(of(Map.of("pglogs:format", "compact", "pglogs:summaries", "true"), null).summaries());
    }

    private static DeployedSettings of(Map<String, String> tags, Map<String, String> function) {
        return DeployedSettings.of(new io.pglogs.cli.table.DeployedTable(
                software.amazon.awssdk.services.dynamodb.model.TableDescription.builder().tableName("t").build(),
                new io.pglogs.cli.table.TableTags(tags)), function, "fn");
    }
}
