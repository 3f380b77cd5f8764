package io.pglogs.cli.docs;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.cli.docs.DocExamples.Example;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without running anything: every command the docs show has an expectation in docs-examples.txt, in order, or is
 * marked as not run here (DocExamplesRunTest, tagged integration, runs them).
 */
class DocExamplesTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyDocumentedCommandHasAnExpectationOrAMarker() {
        DocPlan.Plan plan = DocPlan.of(REPO, Expectations.read(Expectations.FILE));
        assertEquals(List.of(), plan.problems(), String.join("\n", plan.problems()));
        assertFalse(plan.steps().isEmpty());
    }

    /** A command the docs add, change or drop without its expectation is named, and so is a marker's command. */
    @Test
    void aCommandWithoutItsExpectationIsNamedBeforeAnythingRuns(@TempDir Path repo) throws Exception {
        Files.createDirectories(repo.resolve("docs"));
        Files.writeString(repo.resolve("docs/operator-guide.md"), "");
        Files.writeString(repo.resolve("docs/cli.md"), "");
        Files.writeString(repo.resolve("README.md"), "```sh\nbin/pglogs start devel   # go\n"
                + "bin/pglogs status devel\naws rds reboot-db-instance   # [real AWS only]\n```\n");
        var expected = Expectations.parse("[README.md]\nbin/pglogs start devel\n  -> exit 0: started\n"
                + "bin/pglogs status devel\n  -> exit 1: problems\n");
        DocPlan.Plan plan = DocPlan.of(repo, expected);
        assertEquals(List.of(), plan.problems());
        assertEquals(2, plan.steps().size());
        assertEquals("aws rds reboot-db-instance", plan.skipped().get(0).key());

        Files.writeString(repo.resolve("README.md"), "```sh\nbin/pglogs start devel\nbin/pglogs status prod\n```\n");
        plan = DocPlan.of(repo, expected);
        assertEquals(1, plan.problems().size(), plan.problems().toString());
        assertTrue(plan.problems().get(0).startsWith("README.md:3: 'bin/pglogs status prod' has no expectation in "),
                plan.problems().get(0));

        Files.writeString(repo.resolve("README.md"), "```sh\nbin/pglogs start devel\n```\n");
        plan = DocPlan.of(repo, expected);
        assertTrue(plan.problems().get(0).endsWith("expects 'bin/pglogs status devel', which README.md no longer"
                + " shows (or marks as not run here)"), plan.problems().toString());

        plan = DocPlan.of(repo, Expectations.parse("[docs/report.md]\nx\n  -> exit 0: y\n"));
        assertTrue(plan.problems().get(0).contains("[docs/report.md] is not in DocExamples.DOCUMENTS"),
                plan.problems().toString());
    }

    @Test
    void readsCommandsCommentsContinuationsMarkersAndConfigBlocks() {
        String md = """
                text `not a command`
                ```sh
                # a comment line
                bin/pglogs start devel              # terraform: # persistent_data
                bin/pglogs query -g 'a # b' -o csv > x.csv

                aws rds download --id orders-db \\
                    --name 'x' --output text > y   # [real AWS only]
                scripts/test   # the suite [not run by the docs test: it runs this test]
                ```
                ```properties
                region = eu-west-1
                ```
                ```
                not sh
                ```
                """;
        List<Example> e = DocExamples.parse("X.md", md);
        assertEquals(List.of("bin/pglogs start devel", "bin/pglogs query -g 'a # b' -o csv > x.csv",
                "aws rds download --id orders-db --name 'x' --output text > y", "scripts/test",
                DocExamples.CONFIG_FILE), e.stream().map(Example::key).toList());
        assertEquals(List.of(4, 5, 7, 9, 12), e.stream().map(Example::line).toList());
        assertNull(e.get(0).skipped());
        assertEquals("real AWS only", e.get(2).skipped());
        assertEquals("aws rds download --id orders-db \\\n    --name 'x' --output text > y   # [real AWS only]",
                e.get(2).text());
        assertEquals("not run by the docs test: it runs this test", e.get(3).skipped());
        assertEquals("region = eu-west-1\n", e.get(4).text());
    }

    @Test
    void anExpectationNamesExitTypingStopThenAndALine() {
        var s = Expectations.parse("""
                # header
                [README.md]
                shell: A=1 B=x
                bin/pglogs start prod
                  -> exit 0, typing yes, then deliver orders-db to pglogs-prod: Apply complete!
                bin/pglogs tail -f
                  -> exit 130, stopped after 5s, prints nothing
                """);
        var x = s.get("README.md").commands();
        assertEquals(java.util.Map.of("A", "1", "B", "x"), s.get("README.md").shell());
        assertEquals("yes", x.get(0).typing());
        assertEquals("deliver orders-db to pglogs-prod", x.get(0).then());
        assertEquals("Apply complete!", x.get(0).line());
        assertEquals(130, x.get(1).exit());
        assertEquals(5, x.get(1).stopAfter());
        assertNull(x.get(1).line());
        assertThrows(IllegalArgumentException.class, () -> Expectations.parse("[R]\ncmd\n  -> exit x: y\n"));
    }
}
