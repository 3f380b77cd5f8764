package io.pglogs.cli.docs;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.cli.docs.DocPlan.Step;
import io.pglogs.testing.MotoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The docs tested as code: every command of README.md, docs/operator-guide.md and docs/cli.md (DocExamples), in that
 * order, run by bash as an operator would type it, in one shell per document (its working directory and exported
 * variables carry from one command to the next), against a moto of its own with the real Terraform roots applied by
 * OpenTofu and HashiCorp's provider. Each must exit as docs-examples.txt says and print the line it names; a
 * properties block becomes the config file, checked by {@code config show}. Commands the docs mark
 * {@code [real AWS only]} or {@code [not run by the docs test: ...]} are skipped, and only those.
 *
 * <p>What the docs assume exists, seeded before the first command ({@link DocWorld}): the account of the operator
 * guide's config example (region eu-west-1, moto's account 123456789012), RDS PostgreSQL instances orders-db,
 * billing-db and orders-db-staging and the Aurora PostgreSQL cluster reporting, each exporting its log to a log group
 * that holds real PostgreSQL 15 entries of the last hour, prod's state bucket and lock table, a profile {@code ops},
 * and the files the examples read (the downloaded log file, events.ndjson). The commands run in a directory laid out
 * like the checkout (its bin/, scripts/, completions/, docs/ and build output linked, terraform/ copied, the release
 * archive beside it), with a HOME of their own.
 */
// Concurrent with the other classes that opt in: it has a moto, a HOME and a checkout of its own, and most of its time
// is Terraform's provider waiting for moto's SQS and Lambda to settle.
@Execution(ExecutionMode.CONCURRENT)
@Tag("integration")
class DocExamplesRunTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    /** A command that runs longer than this is stopped and fails. */
    private static final int TIMEOUT_SECONDS = 300;

    @TempDir
    Path tmp;

    private MotoServer moto;
    private DocWorld world;

    @AfterEach
    void stopEverything() throws Exception {
        if (world != null) {
            world.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void everyDocumentedCommandDoesWhatItsExpectationSays() throws Exception {
        DocPlan.Plan plan = DocPlan.of(REPO, Expectations.read(Expectations.FILE));
        assertEquals(List.of(), plan.problems(), String.join("\n", plan.problems()));
        moto = MotoServer.dedicated();
        world = DocWorld.seed(REPO, tmp, moto);
        Path report = REPO.resolve("cli/target/docs-examples.log");
        Files.createDirectories(report.getParent());
        List<String> failures = new ArrayList<>();
        StringBuilder log = new StringBuilder();
        Map<String, Session> sessions = new LinkedHashMap<>();
        long started = System.nanoTime();
        for (Step step : plan.steps()) {
            Session session = sessions.computeIfAbsent(step.example().document(),
                    d -> new Session(world, tmp.resolve("shell-" + sessions.size()), step.shell()));
            long t0 = System.nanoTime();
            session.enterBlock(step.example().block());
            Outcome o = step.example().isConfigFile() ? session.configFile(step.example().text(), step.expectation())
                    : session.run(step.example().text(), step.expectation());
            double seconds = (System.nanoTime() - t0) / 1e9;
            String verdict = verdict(step, o);
            log.append(String.format("%s %-70s exit %3d %6.1f s %s%n", step.example().where(),
                    abbreviate(step.example().key()), o.code(), seconds, verdict == null ? "ok" : "FAILED"));
            if (verdict != null) {
                failures.add(step.example().where() + ": '" + step.example().key() + "': " + verdict + "\n"
                        + tail(o.output(), 30));
                log.append(tail(o.output(), 30)).append('\n');
            } else if (step.expectation().then() != null) {
                world.then(step.expectation().then());
            }
            Files.writeString(report, log);
        }
        log.append(String.format("%d commands run, %d marked as not run here, %.0f s%n", plan.steps().size(),
                plan.skipped().size(), (System.nanoTime() - started) / 1e9));
        for (DocExamples.Example e : plan.skipped()) {
            log.append("skipped ").append(e.where()).append(' ').append(e.key()).append(": ").append(e.skipped())
                    .append('\n');
        }
        Files.writeString(report, log);
        assertEquals(List.of(), failures, String.join("\n\n", failures) + "\n(all: " + report + ")");
    }

    /** Why the outcome is not the expected one, or null when it is. */
    private static String verdict(Step step, Outcome o) {
        Expectations.Expectation x = step.expectation();
        if (o.code() != x.exit()) {
            return "exited " + o.code() + ", expected " + x.exit();
        }
        if (x.line() == null) {
            return o.output().isBlank() ? null : "printed something, expected nothing";
        }
        return o.output().lines().anyMatch(l -> l.contains(x.line())) ? null
                : "no line of its output contains '" + x.line() + "'";
    }

    private static String abbreviate(String s) {
        return s.length() <= 70 ? s : s.substring(0, 67) + "...";
    }

    private static String tail(String output, int lines) {
        List<String> all = output.lines().toList();
        return "    | " + String.join("\n    | ", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    record Outcome(int code, String output) {
    }

    /**
     * One document's shell: bash runs each command from a script that first restores the directory and exported
     * variables the previous command left, and afterwards records them, as an interactive shell would keep them.
     */
    static final class Session {
        private final DocWorld world;
        private final Path dir;
        private final Map<String, String> env;
        private int block = -1;

        Session(DocWorld world, Path dir, Map<String, String> shell) {
            this.world = world;
            this.dir = dir;
            this.env = new HashMap<>(world.environment());
            env.putAll(shell);
            try {
                Files.createDirectories(dir);
                Files.writeString(dir.resolve("env"), "");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** Each block is a recipe of its own, typed at the checkout's root; what the last one exported stays. */
        void enterBlock(int next) throws IOException {
            if (next != block) {
                Files.writeString(dir.resolve("cwd"), world.checkout().toString());
                block = next;
            }
        }

        Outcome run(String command, Expectations.Expectation x) throws IOException, InterruptedException {
            Path script = dir.resolve("step.sh");
            Files.writeString(script, "cd \"$(cat '" + dir.resolve("cwd") + "')\" || exit 99\n"
                    + ". '" + dir.resolve("env") + "'\n"
                    + command + "\n"
                    + "__pglogs_docs_rc=$?\n"
                    + "pwd > '" + dir.resolve("cwd") + "'\n"
                    + "export -p | grep -v -E '^declare -x (OLDPWD|PWD|SHLVL|_)=' > '" + dir.resolve("env") + "'\n"
                    + "exit $__pglogs_docs_rc\n");
            List<String> cmd = new ArrayList<>(List.of("timeout", "-k", "10"));
            if (x.stopAfter() > 0) {
                cmd.addAll(List.of("--preserve-status", "-s", "INT", Integer.toString(x.stopAfter())));
            } else {
                cmd.add(Integer.toString(TIMEOUT_SECONDS));
            }
            if (x.typing() != null) {
                // A terminal (script(1) gives the command a pseudo-terminal) where the operator types the answer.
                cmd.addAll(List.of("script", "-qefc", "bash " + script, "/dev/null"));
            } else {
                cmd.addAll(List.of("bash", script.toString()));
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().putAll(env);
            Path out = dir.resolve("out");
            pb.redirectOutput(out.toFile());
            if (x.typing() == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            Process p = pb.start();
            if (x.typing() != null) {
                typeAnswers(p, x.typing());
            }
            p.getOutputStream().close();
            if (x.stopAfter() > 0) {
                interruptOnceItPrinted(p, out, x.line());
            }
            if (!p.waitFor(TIMEOUT_SECONDS + 30, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            String output = Files.readString(out, StandardCharsets.UTF_8).replace("\r", "");
            return new Outcome(p.waitFor(), output);
        }

        /**
         * Ctrl-C as an operator would give it to a command that follows: once a line holds {@code line} (timeout(1),
         * which gives the command SIGINT at the latest after the expectation's seconds, passes it on to the command's
         * process group).
         */
        private static void interruptOnceItPrinted(Process p, Path out, String line)
                throws IOException, InterruptedException {
            while (p.isAlive()) {
                String printed = Files.readString(out, StandardCharsets.UTF_8);
                if (line != null && printed.lines().anyMatch(l -> l.contains(line))) {
                    new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
                    return;
                }
                Thread.sleep(200);
            }
        }

        /** Types {@code answer} at each question, as it appears: a terminal's input is read a line at a time. */
        private static void typeAnswers(Process p, String answer) throws IOException, InterruptedException {
            for (int i = 0; i < 4 && p.isAlive(); i++) {
                Thread.sleep(i == 0 ? 300 : 100);
                p.getOutputStream().write((answer + "\n").getBytes(StandardCharsets.UTF_8));
                p.getOutputStream().flush();
            }
        }

        /** The properties block as the config file, then {@code bin/pglogs config show} checks it. */
        Outcome configFile(String properties, Expectations.Expectation x) throws IOException, InterruptedException {
            Path file = world.home().resolve(".config/pglogs/config.properties");
            Files.createDirectories(file.getParent());
            Files.writeString(file, properties);
            return run("bin/pglogs config show", x);
        }
    }

    static final Pattern DELIVER = Pattern.compile("deliver (\\S+) to (\\S+)");

    static Matcher deliver(String then) {
        return DELIVER.matcher(then);
    }
}
