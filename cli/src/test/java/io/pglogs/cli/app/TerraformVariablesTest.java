package io.pglogs.cli.app;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.cli.config.SummariesSetting;
import io.pglogs.forwarder.dynamo.StorageFormat;
import io.pglogs.forwarder.parse.Redaction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What start gives persistent_data: the table's format, redaction and summaries, or nothing where the root decides. */
class TerraformVariablesTest {
    @Test
    void theChoicesReachTheVariablesAsTheRootSpellsThem() {
        Map<String, Object> v = new TerraformVariables.PersistentData("eu-west-1", "pglogs-devel", List.of("1"),
                StorageFormat.COMPACT, Redaction.LITERALS, SummariesSetting.Choice.ON).tfvars();
        assertEquals("compact", v.get("storage_format"));
        assertEquals("literals", v.get("redact"));
        assertEquals("on", v.get("summaries"));
    }

    @Test
    void unsetChoicesLeaveTheRootsDefaults() {
        Map<String, Object> v = new TerraformVariables.PersistentData("eu-west-1", "pglogs-devel", null, null, null,
                null).tfvars();
        assertFalse(v.containsKey("summaries"), "the root's default, auto, decides by the format");
        assertFalse(v.containsKey("redact"));
        assertFalse(v.containsKey("storage_format"));
    }
}
