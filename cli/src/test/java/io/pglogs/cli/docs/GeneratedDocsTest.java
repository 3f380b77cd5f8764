package io.pglogs.cli.docs;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.cli.TestCli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The checked-in completions and man pages are exactly what the generator makes from today's commands. */
class GeneratedDocsTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @Test
    void checkedInCopiesAreCurrent() throws Exception {
        Map<String, String> fresh = GenerateDocs.generate();
        List<String> stale = new ArrayList<>();
        for (Map.Entry<String, String> e : fresh.entrySet()) {
            Path file = REPO.resolve(e.getKey());
            if (!Files.isRegularFile(file) || !Files.readString(file, StandardCharsets.UTF_8).equals(e.getValue())) {
                stale.add(e.getKey());
            }
        }
        try (Stream<Path> pages = Files.list(REPO.resolve("docs/man"))) {
            pages.map(p -> "docs/man/" + p.getFileName()).filter(p -> !fresh.containsKey(p)).forEach(stale::add);
        }
        assertEquals(List.of(), stale, "stale generated files: run scripts/generate-docs and commit the result");
        assertTrue(fresh.containsKey("docs/man/pglogs-query.adoc"));
        assertTrue(fresh.containsKey("docs/man/pglogs-local-up.adoc"));
        assertTrue(fresh.get("docs/man/pglogs-query.1").startsWith("'\\\" t\n"), "roff, not AsciiDoc");
        assertTrue(fresh.get("docs/man/pglogs-query.1").contains(".SH \"SYNOPSIS\""));
    }

    @Test
    void theCompletionCommandPrintsTheSameScripts() {
        Map<String, String> fresh = GenerateDocs.generate();
        TestCli cli = new TestCli();
        assertEquals(fresh.get("completions/pglogs.bash"), cli.run("completion", "bash").out());
        assertEquals(fresh.get("completions/_pglogs"), cli.run("completion", "zsh").out());
        assertTrue(fresh.get("completions/pglogs.bash").contains("query"));
        assertEquals(2, cli.run("completion", "fish").code());
    }
}
