package io.pglogs.cli.config;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.cli.error.BadSettingException;
import io.pglogs.cli.table.TableTags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code <env>.summaries}: auto, on or off from a variable or the config file, and the tag it becomes. */
class SummariesSettingTest {
    @TempDir
    Path home;

    private Settings settings(Map<String, String> variables) {
        Map<String, String> all = new java.util.HashMap<>(variables);
        all.put("HOME", home.toString());
        return Settings.load(new Host(all, home));
    }

    @Test
    void unsetAsksForNothing() {
        assertEquals(Optional.empty(), SummariesSetting.of(settings(Map.of()), Environment.devel));
    }

    @Test
    void eachChoiceInAnyCaseFromTheVariableOfItsOwnEnvironment() {
        Settings s = settings(Map.of("PGLOGS_DEVEL_SUMMARIES", "Off", "PGLOGS_PROD_SUMMARIES", " on "));
        assertEquals(Optional.of(SummariesSetting.Choice.OFF), SummariesSetting.of(s, Environment.devel));
        assertEquals(Optional.of(SummariesSetting.Choice.ON), SummariesSetting.of(s, Environment.prod));
        assertEquals(SummariesSetting.Choice.AUTO, SummariesSetting.of(settings(Map.of("PGLOGS_DEVEL_SUMMARIES",
                "AUTO")), Environment.devel).orElseThrow());
        assertEquals("auto", SummariesSetting.Choice.AUTO.label(), "Terraform's variable takes it in lower case");
    }

    @Test
    void fromTheConfigFileUnderTheVariable() throws Exception {
        Path file = Files.writeString(home.resolve("config.properties"), "prod.summaries = off\n");
        Settings s = settings(Map.of("PGLOGS_CONFIG", file.toString()));
        assertEquals(SummariesSetting.Choice.OFF, SummariesSetting.of(s, Environment.prod).orElseThrow());
        s = settings(Map.of("PGLOGS_CONFIG", file.toString(), "PGLOGS_PROD_SUMMARIES", "on"));
        assertEquals(SummariesSetting.Choice.ON, SummariesSetting.of(s, Environment.prod).orElseThrow(),
                "the environment variable beats the file");
    }

    @Test
    void anythingElseIsABadSettingNamingWhereItCameFrom() {
        BadSettingException e = assertThrows(BadSettingException.class, () -> SummariesSetting.of(
                settings(Map.of("PGLOGS_DEVEL_SUMMARIES", "true")), Environment.devel));
        assertEquals("devel.summaries 'true' (env PGLOGS_DEVEL_SUMMARIES) is not a summaries choice: use auto (the "
                + "default: on for entries, off for compact), on or off", e.getMessage());
    }

    /** An existing table's tag, read back for a start without the setting, keeps it as it is. */
    @Test
    void theTableTagReadsBackAsTheChoiceThatKeepsIt() {
        assertNull(new TableTags(Map.of()).summaries(), "a table tagged before the switch existed");
        assertEquals(Boolean.TRUE, new TableTags(Map.of("pglogs:summaries", "true")).summaries());
        assertEquals(Boolean.FALSE, new TableTags(Map.of("pglogs:summaries", "FALSE")).summaries());
        assertEquals(SummariesSetting.Choice.OFF, SummariesSetting.Choice.of(false));
        assertEquals(SummariesSetting.Choice.ON, SummariesSetting.Choice.of(true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TableTags(Map.of("pglogs:summaries", "auto")).summaries());
        assertEquals("pglogs:summaries=auto is not true or false", e.getMessage());
    }
}
