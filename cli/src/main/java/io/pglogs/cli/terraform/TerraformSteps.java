package io.pglogs.cli.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pglogs.cli.error.FailureException;
import io.pglogs.cli.error.PreconditionException;
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
import java.util.Set;
import java.util.function.IntPredicate;

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

    /**
     * Tries of a plan or an import that failed on a dropped connection (each plan of a round counts on its own), and
     * rounds of plan-and-apply when an apply failed that way: at most two of each, so a start whose network keeps
     * failing ends in a few minutes rather than looping.
     */
    private static final int ATTEMPTS = 2;
    /** Another operator's or runner's run holds the state's lock for a while: wait for it rather than fail at once. */
    private static final String LOCK_TIMEOUT = "-lock-timeout=5m";

    /**
     * What a caller checks in a plan before it is applied (start: no table lost, removals consented), given the root,
     * the plan ({@code show -json}) and whether it is only shown.
     */
    public interface Review {
        Review NONE = (root, plan, planOnly) -> { };

        void review(Path root, PlanReview plan, boolean planOnly);
    }

    private final Terraform runner;
    private final Style style;
    private final PrintWriter out;
    private final StateBackend state;
    private final boolean reconfigure;
    private final Approval migration;
    private final Review review;
    private final RootInit rootInit;

    /**
     * @param state       where each root's state is kept
     * @param reconfigure when the state moved, switch the working copy to it without copying the old state
     * @param migration   asked before copying a root's state to the place it moved to
     * @param review      checks each plan an apply would carry out, before it is approved
     */
    public TerraformSteps(Terraform runner, Style style, PrintWriter out, StateBackend state,
                          boolean reconfigure, Approval migration, Review review) {
        this.runner = runner;
        this.style = style;
        this.out = out;
        this.state = state;
        this.reconfigure = reconfigure;
        this.migration = migration;
        this.review = review;
        this.rootInit = new RootInit(runner, style, out, state, reconfigure, migration);
    }

    /** Approval by typing "yes" at the prompt. */
    public static Approval typedYes(Prompt prompt, String withoutTerminal) {
        return what -> prompt.typed(what + " Type 'yes' to go ahead: ", "yes", withoutTerminal);
    }

    /**
     * What start adds to a plain apply: resources that may already exist to adopt, and resources to apply on their
     * own before the rest.
     *
     * @param adoptions        imported when they exist in AWS but not in the root's state
     * @param adoptionApproval asked before importing an adoption that needs confirmation
     * @param firstApplies     targeted applies done before the full plan, when the state still holds what they replace
     */
    public record Preparation(List<Adoption> adoptions, Approval adoptionApproval, List<FirstApply> firstApplies) {
        public static final Preparation NONE = new Preparation(List.of(), what -> true, List.of());
    }

    /**
     * Resources that take over from others under new addresses: applied alone first, so the old ones are removed only
     * once the new ones exist (Terraform orders a delete and an unrelated create as it likes).
     *
     * @param replacedPrefix a state address prefix of what they replace, e.g. {@code module.m.aws_x.old[}
     * @param targets        the addresses to apply first
     * @param why            told to the operator
     */
    public record FirstApply(String replacedPrefix, List<String> targets, String why) {
    }

    /**
     * @param label      what the header calls this step, e.g. "[1/2] persistent_data/manage_devel"
     * @param variables  written to a -var-file; null values are left out so the root's defaults apply
     * @param planOnly   stop after showing the plan
     * @return true when changes were applied (or would be, with planOnly)
     */
    public boolean run(String label, Path root, Mode mode, Map<String, Object> variables, boolean planOnly,
                       Approval approval) {
        return run(label, root, mode, variables, planOnly, approval, Preparation.NONE);
    }

    /**
     * As {@link #run(String, Path, Mode, Map, boolean, Approval)}, after the preparation. With planOnly nothing is
     * imported or applied: the plan then shows what would be created, and the real start adopts.
     */
    public boolean run(String label, Path root, Mode mode, Map<String, Object> variables, boolean planOnly,
                       Approval approval, Preparation preparation) {
        return run(label, root, mode, variables, null, planOnly, approval, preparation);
    }

    /**
     * As {@link #run(String, Path, Mode, Map, boolean, Approval, Preparation)}, the variables given by the preview
     * once the root's state is read.
     *
     * @return false also when the preview stopped the step before any plan
     */
    public boolean run(String label, Path root, Mode mode, StatePreview preview, boolean planOnly, Approval approval,
                       Preparation preparation) {
        return run(label, root, mode, null, preview, planOnly, approval, preparation);
    }

    private boolean run(String label, Path root, Mode mode, Map<String, Object> given, StatePreview preview,
                        boolean planOnly, Approval approval, Preparation preparation) {
        if (!Files.isDirectory(root)) {
            throw new FailureException("no Terraform root at " + root);
        }
        String verb = mode == Mode.APPLY ? "apply" : "destroy";
        out.println(style.header("==> " + label + ": " + (planOnly ? "plan (" + verb + ")" : verb)));
        out.flush();
        rootInit.init(root);
        Map<String, Object> variables = preview == null ? given : preview.variables(tablesInState(root));
        if (variables == null) {
            return false;
        }
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
            if (!preparation.adoptions().isEmpty() || !preparation.firstApplies().isEmpty()) {
                Set<String> inState = stateAddresses(root);
                adopt(root, preparation.adoptions(), inState, varFile, planOnly, preparation.adoptionApproval());
                if (!planOnly) {
                    for (FirstApply first : preparation.firstApplies()) {
                        if (inState.stream().anyMatch(a -> a.startsWith(first.replacedPrefix()))) {
                            out.println(style.warn("    first, on their own: " + String.join(", ", first.targets())
                                    + " (" + first.why() + ")"));
                            List<String> targets = first.targets().stream().map(t -> "-target=" + t).toList();
                            planAndApply(root, mode, varFile, targets, false, approval);
                        }
                    }
                }
            }
            return planAndApply(root, mode, varFile, List.of(), planOnly, approval);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(varFile);
        }
    }

    private boolean planAndApply(Path root, Mode mode, Path varFile, List<String> extra, boolean planOnly,
                                 Approval approval) throws IOException {
        String verb = mode == Mode.APPLY ? "apply" : "destroy";
        Path planFile = Files.createTempFile("pglogs-", ".tfplan");
        try {
            List<String> plan = new ArrayList<>(List.of("plan", "-input=false", "-detailed-exitcode", LOCK_TIMEOUT,
                    "-var-file=" + varFile, "-out=" + planFile));
            if (mode == Mode.DESTROY) {
                plan.add(2, "-destroy");
            }
            plan.addAll(extra);
            // An apply of a saved plan leaves what it did in the state (unless saving the state is what failed), so
            // after a failure that was only the network's the rest is planned again, shown and approved again.
            boolean appliedSome = false;
            for (int round = 1; ; round++) {
                // A plan reads, so after a failure that was only the network's, planning again is safe.
                int code = runRetrying(root, plan, c -> c != 0 && c != 2, "the plan failed on a dropped connection "
                        + "to AWS; planning again");
                if (code == 0) {
                    out.println(style.ok("    no changes in " + root.getFileName()));
                    return appliedSome;
                }
                if (code != 2) {
                    check(code, "plan", root);
                }
                if (mode == Mode.APPLY) {
                    review.review(root, new PlanReview(JSON.readTree(runner.capture(root, List.of("show", "-json",
                            planFile.toString())))), planOnly);
                }
                if (planOnly) {
                    return true;
                }
                if (!approval.approve(verb.substring(0, 1).toUpperCase() + verb.substring(1) + " this plan in "
                        + where(root) + "?")) {
                    throw new PreconditionException("not confirmed: nothing was changed in " + root);
                }
                int applied = runner.run(root, List.of("apply", "-input=false", LOCK_TIMEOUT, planFile.toString()));
                if (applied != 0 && round < ATTEMPTS && runner.lastRunFailedInTransit()
                        && !Files.exists(root.resolve("errored.tfstate"))) {
                    out.println(style.warn("    the " + verb + " failed on a dropped connection to AWS; what it did "
                            + "is in the state: planning the rest"));
                    appliedSome = true;
                    continue;
                }
                check(applied, verb, root);
                return true;
            }
        } finally {
            deleteQuietly(planFile);
        }
    }

    /**
     * Runs a subcommand that changes no state when it fails (plan, import): a failure that was only the network's
     * (a connection to AWS dropped mid-response) runs it once more, saying so.
     */
    private int runRetrying(Path root, List<String> args, IntPredicate failed, String again) {
        for (int attempt = 1; ; attempt++) {
            int code = runner.run(root, args);
            if (failed.test(code) && attempt < ATTEMPTS && runner.lastRunFailedInTransit()) {
                out.println(style.warn("    " + again));
                continue;
            }
            return code;
        }
    }

    static String where(Path root) {
        return root.getParent().getFileName() + "/" + root.getFileName();
    }

    private void adopt(Path root, List<Adoption> adoptions, Set<String> inState, Path varFile, boolean planOnly,
                       Approval approval) {
        for (Adoption a : adoptions) {
            if (a.managedAt().stream().anyMatch(inState::contains)) {
                continue;
            }
            if (planOnly) {
                out.println(style.warn("    " + a.what() + " exists but is not in this state; without --dry-run it is adopted first"));
                continue;
            }
            if (a.needsConfirmation()) {
                out.println(style.warn("    " + a.what() + " already exists and this state does not manage it. If "
                        + "another state does (another machine's or a CI runner's), answer no and use that state "
                        + "instead; adopting it makes this state manage it too."));
                if (!approval.approve("Adopt " + a.what() + " into " + where(root) + "?")) {
                    throw new PreconditionException("not confirmed: " + a.what() + " was not adopted and nothing was "
                            + "changed in " + root);
                }
            }
            out.println(style.ok("    adopting " + a.what() + " as " + a.address()));
            out.flush();
            List<String> args = List.of("import", "-input=false", LOCK_TIMEOUT, "-var-file=" + varFile, a.address(),
                    a.importId());
            // An import that failed changed no state, so it runs again as plans do.
            check(runRetrying(root, args, code -> code != 0, "the import failed on a dropped connection to AWS; "
                    + "importing again"), "import of " + a.address(), root);
        }
    }

    /** A log table the root's state manages: its address there and its name in AWS. */
    public record StateTable(String address, String name) {
    }

    /**
     * What a step reads of its root's state once the working copy is initialised, before anything is planned: the
     * variables to plan with, given the log tables the state manages (start: a move to another table is carried out
     * here), or null to stop without planning.
     */
    public interface StatePreview {
        Map<String, Object> variables(List<StateTable> tablesInState);
    }

    /** The log tables the root's state manages, the root initialised first (stop reads them before destroying). */
    public List<StateTable> tablesIn(Path root) {
        rootInit.init(root);
        return tablesInState(root);
    }

    /** The log tables the root's state manages (persistent_data's has one). */
    private List<StateTable> tablesInState(Path root) {
        List<JsonNode> resources = new ArrayList<>();
        try {
            collectResources(JSON.readTree(runner.capture(root, List.of("show", "-json"))).path("values")
                    .path("root_module"), resources);
        } catch (IOException e) {
            throw new FailureException("cannot read the state of " + root + ": " + e.getMessage());
        }
        return resources.stream().filter(r -> r.path("type").asText().equals("aws_dynamodb_table")
                        && r.path("mode").asText("managed").equals("managed"))
                .map(r -> new StateTable(r.path("address").asText(), r.path("values").path("name").asText()))
                .toList();
    }

    /**
     * Removes one resource from the root's state and nothing from AWS ({@code state rm}): Terraform forgets it, so no
     * later plan of this root changes or destroys it.
     *
     * @return false when the state no longer held it: another run forgot it first
     */
    public boolean forget(Path root, String address) {
        out.println(style.warn("    forgetting " + address + ": it leaves " + where(root) + "'s state and stays in "
                + "AWS"));
        out.flush();
        int code = runner.run(root, List.of("state", "rm", LOCK_TIMEOUT, address));
        if (code != 0 && !stateAddresses(root).contains(address)) {
            // "No matching objects": another run (a colleague's, a CI runner's) took it out between our read and rm.
            return false;
        }
        check(code, "state rm " + address, root);
        return true;
    }

    /** Every resource address in the root's state ("show -json", which unlike "state list" accepts no state). */
    private Set<String> stateAddresses(Path root) {
        try {
            Set<String> addresses = new java.util.HashSet<>();
            collectAddresses(JSON.readTree(runner.capture(root, List.of("show", "-json"))).path("values")
                    .path("root_module"), addresses);
            return addresses;
        } catch (IOException e) {
            throw new FailureException("cannot read the state of " + root + ": " + e.getMessage());
        }
    }

    private static void collectResources(JsonNode module, List<JsonNode> into) {
        module.path("resources").forEach(into::add);
        module.path("child_modules").forEach(m -> collectResources(m, into));
    }

    private static void collectAddresses(JsonNode module, Set<String> into) {
        module.path("resources").forEach(r -> into.add(r.path("address").asText()));
        module.path("child_modules").forEach(m -> collectAddresses(m, into));
    }

    private void check(int code, String what, Path root) {
        check(runner, code, what, root);
    }

    /** A failed step ends the start or stop: it names the binary, the step and the root. */
    static void check(Terraform runner, int code, String what, Path root) {
        if (code != 0) {
            throw new FailureException(runner.binary().getFileName() + " " + what + " failed in " + root
                    + " (exit " + code + "); later steps were not run");
        }
    }

    static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temporary file; the OS cleans up
            }
        }
    }
}
