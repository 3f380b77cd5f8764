package io.pglogs.cli.terraform;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pglogs.cli.FailureException;
import io.pglogs.cli.term.Prompt;
import io.pglogs.cli.term.Style;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Terraform root brought to a state: init when needed, plan into a file, optionally ask, then apply exactly that
 * plan. Used by start (apply) and stop (destroy); each step prints a header and streams the child's output.
 */
public final class TerraformSteps {
    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Mode { APPLY, DESTROY }

    /** Who may approve a plan: nobody needs to, --yes did, or the person at the terminal types "yes". */
    public interface Approval {
        boolean approve(String what);
    }

    private final TerraformRunner runner;
    private final Style style;
    private final PrintWriter out;

    public TerraformSteps(TerraformRunner runner, Style style, PrintWriter out) {
        this.runner = runner;
        this.style = style;
        this.out = out;
    }

    /** Approval by typing "yes" at the prompt. */
    public static Approval typedYes(Prompt prompt, String withoutTerminal) {
        return what -> prompt.typed(what + " Type 'yes' to go ahead: ", "yes", withoutTerminal);
    }

    /**
     * @param label      what the header calls this step, e.g. "[1/2] persistent_data/manage_devel"
     * @param variables  written to a -var-file; null values are left out so the root's defaults apply
     * @param planOnly   stop after showing the plan
     * @return true when changes were applied (or would be, with planOnly)
     */
    public boolean run(String label, Path root, Mode mode, Map<String, Object> variables, boolean planOnly,
                       Approval approval) {
        if (!Files.isDirectory(root)) {
            throw new FailureException("no Terraform root at " + root);
        }
        String verb = mode == Mode.APPLY ? "apply" : "destroy";
        out.println(style.header("==> " + label + ": " + (planOnly ? "plan (" + verb + ")" : verb)));
        out.flush();
        if (TerraformRunner.needsInit(root)) {
            check(runner.run(root, List.of("init", "-input=false")), "init", root);
        }
        Path planFile = null;
        Path varFile = null;
        try {
            varFile = Files.createTempFile("pglogs-", ".tfvars.json");
            Map<String, Object> set = new java.util.LinkedHashMap<>();
            variables.forEach((k, v) -> {
                if (v != null) {
                    set.put(k, v);
                }
            });
            JSON.writeValue(varFile.toFile(), set);
            planFile = Files.createTempFile("pglogs-", ".tfplan");
            List<String> plan = new ArrayList<>(List.of("plan", "-input=false", "-detailed-exitcode",
                    "-var-file=" + varFile, "-out=" + planFile));
            if (mode == Mode.DESTROY) {
                plan.add(2, "-destroy");
            }
            int code = runner.run(root, plan);
            if (code == 0) {
                out.println(style.ok("    no changes in " + root.getFileName()));
                return false;
            }
            if (code != 2) {
                check(code, "plan", root);
            }
            if (planOnly) {
                return true;
            }
            if (!approval.approve(verb.substring(0, 1).toUpperCase() + verb.substring(1) + " this plan in "
                    + root.getParent().getFileName() + "/" + root.getFileName() + "?")) {
                throw new FailureException("not confirmed: nothing was changed in " + root);
            }
            check(runner.run(root, List.of("apply", "-input=false", planFile.toString())), "apply", root);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(planFile);
            deleteQuietly(varFile);
        }
    }

    private void check(int code, String what, Path root) {
        if (code != 0) {
            throw new FailureException(runner.binary().getFileName() + " " + what + " failed in " + root
                    + " (exit " + code + "); later steps were not run");
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temporary file; the OS cleans up
            }
        }
    }
}
