package io.pglogs.cli;

import io.pglogs.cli.option.CliContext;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs pglogs in-process the way a test wants it: own environment, own stdin, output captured. Child processes a test
 * starts through {@link #process} get that same environment and nothing else.
 */
public final class TestCli {
    public final Map<String, String> env = new HashMap<>();
    public Path home = Path.of("..").toAbsolutePath().normalize();
    public String stdin = "";
    public boolean interactive;

    public TestCli() {
        env.put("HOME", System.getProperty("java.io.tmpdir") + "/pglogs-test-home-" + ProcessHandle.current().pid());
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    }

    public record Result(int code, String out, String err) {
        /**
         * The error stream first and the output last: a failure report cut in its middle (CI logs are) still shows
         * the exit and the end of the output, where Terraform prints its error.
         */
        @Override
        public String toString() {
            return "exit " + code + "\n--- err\n" + err + "--- out\n" + out + "--- (exit " + code + ")";
        }
    }

    public Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext ctx = new CliContext(env, home, new BufferedReader(new StringReader(stdin)), interactive, false);
        int code = PglogsCli.execute(ctx, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    /**
     * Points this CLI at the installed OpenTofu, and at the provider mirror's CLI configuration where scripts/test
     * made one (no provider registry reachable): what an operator's shell would have.
     */
    public TestCli withTerraform() {
        env.put("PGLOGS_TERRAFORM", tofu());
        String tfrc = System.getProperty("pglogs.tfrc", "");
        if (!tfrc.isBlank()) {
            env.put("TF_CLI_CONFIG_FILE", tfrc);
        }
        return this;
    }

    /**
     * Points this CLI at a working copy of terraform/, with local states in a state directory beside it (as
     * XDG_STATE_HOME), so each working copy a test makes is a machine of its own, and no state lands in the real
     * ~/.local/state.
     */
    public TestCli terraformDir(Path dir) {
        env.put("PGLOGS_TERRAFORM_DIR", dir.toString());
        env.put("XDG_STATE_HOME", stateHome(dir).toString());
        return this;
    }

    /** The XDG_STATE_HOME {@link #terraformDir} gives a working copy of terraform/ at {@code dir}. */
    public static Path stateHome(Path dir) {
        return dir.resolveSibling(dir.getFileName() + "-state");
    }

    /** {@code command} with exactly {@link #env} as its environment: see {@link #process(Map, List)}. */
    public ProcessBuilder process(List<String> command) {
        return process(env, command);
    }

    /**
     * A process running {@code command} with exactly {@code env} as its environment and SIGINT at its default
     * disposition, however this JVM was launched: a background job of a non-interactive shell, and so maybe a CI job,
     * starts with SIGINT ignored, and an ignored signal stays ignored across exec.
     */
    public static ProcessBuilder process(Map<String, String> env, List<String> command) {
        List<String> c = new ArrayList<>(List.of("/usr/bin/env", "--default-signal=INT"));
        c.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(c);
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb;
    }

    public static String tofu() {
        String tofu = System.getProperty("pglogs.tofu", "");
        if (tofu.isBlank() || !java.nio.file.Files.isExecutable(Path.of(tofu))) {
            throw new IllegalStateException("pglogs.tofu is not set to an installed OpenTofu ('" + tofu
                    + "'): run scripts/test, which installs it");
        }
        return tofu;
    }
}
