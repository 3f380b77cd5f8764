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
import java.util.Optional;
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
    private Boolean lockFile;

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
        if (!Files.isDirectory(root)) {
            throw new FailureException("no Terraform root at " + root);
        }
        String verb = mode == Mode.APPLY ? "apply" : "destroy";
        out.println(style.header("==> " + label + ": " + (planOnly ? "plan (" + verb + ")" : verb)));
        out.flush();
        init(root);
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
                    throw new FailureException("not confirmed: nothing was changed in " + root);
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

    /**
     * Initialises the root when its working copy is new or its state moved. A local state is kept in the state
     * directory ({@link LocalStates}): one the working copy still holds is moved there first, and one recorded for
     * another account or region is refused. A move to S3 copies the old state over (-migrate-state) once approved,
     * unless there is nothing to copy or the operator said --reconfigure. Two moves are never made on a mere --yes:
     * overwriting a state already in S3 (another machine's, perhaps newer), and copying an S3 state back to a local
     * file (a shell that lost the bucket setting would fork the state).
     */
    private void init(Path root) {
        state.prepare(root);
        LocalStates local = state.local();
        boolean initialised = Files.isRegularFile(root.resolve(".terraform").resolve("terraform.tfstate"));
        Optional<StateBackend.Change> change = state.changeFrom(root);
        if (!state.shared()) {
            local.refuseAnotherOwner(root);
            if (change.isPresent() && !change.get().fromLocal() && !reconfigure) {
                throw new PreconditionException("the state of " + where(root) + " is in " + change.get().from()
                        + ", but no state bucket is set now: set it again (see 'pglogs state show'), or pass "
                        + "--reconfigure to use a local state without copying; nothing was changed");
            }
            local.moveFromWorkingCopy(root, out);
        }
        if (state.shared() && !initialised) {
            Path own = LocalStates.inWorkingCopy(root);
            if (LocalStates.holdsResources(own)) {
                // A working copy whose .terraform was removed: its local state still has to be carried over.
                change = Optional.of(new StateBackend.Change(true, "local file " + own, own));
            } else if (LocalStates.holdsResources(local.file(root))) {
                // A new working copy (a new installation) knows nothing of the state directory: it is first
                // initialised with the local state kept there, so that the move to S3 below copies that one.
                local.refuseAnotherOwner(root);
                initLocal(root, local.file(root));
                initialised = true;
                change = state.changeFrom(root);
            }
        }
        if (initialised && change.isEmpty()) {
            if (!state.shared()) {
                local.writeRecord(root);
            }
            return;
        }
        List<String> args = new ArrayList<>(List.of("init", "-input=false"));
        if (change.isPresent()) {
            args.add(moveState(root, change.get()));
            if (args.contains("-migrate-state")) {
                args.add("-force-copy");
            }
        }
        Path config = null;
        try {
            if (state.shared()) {
                config = Files.createTempFile("pglogs-", ".s3.tfbackend");
                Files.writeString(config, state.backendConfig(root, lockFile(root)));
                args.add("-backend-config=" + config);
            } else {
                local.writeRecord(root);
                args.add("-backend-config=path=" + local.file(root));
            }
            check(runner.run(root, args), "init", root);
            if (!state.shared() && !StateBackend.recordedLocalFile(root).map(local.file(root)::equals)
                    .orElse(false)) {
                // Without a backend block init takes no path and the state would stay in the Terraform directory.
                throw new PreconditionException(where(root) + " in " + root.getParent().getParent() + " declares "
                        + "no backend \"local\" {} (terraform { backend \"local\" {} }, as the roots pglogs ships), "
                        + "so its state cannot be kept in " + local.directory() + ": add it and run again");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(config);
        }
    }

    /** Initialises the root as committed (backend "local") with the state at {@code file}; then the override again. */
    private void initLocal(Path root, Path file) {
        try {
            Files.deleteIfExists(root.resolve(StateBackend.OVERRIDE_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        check(runner.run(root, List.of("init", "-input=false", "-reconfigure", "-backend-config=path=" + file)),
                "init", root);
        state.prepare(root);
    }

    /** How init moves the working copy to the state wanted now: -reconfigure or -migrate-state. */
    private String moveState(Path root, StateBackend.Change change) {
        out.println(style.warn("    the state of this root was " + change.from() + "; it is now "
                + state.describe(root)));
        if (reconfigure) {
            out.println("    --reconfigure: switching without copying the old state");
            return "-reconfigure";
        }
        if (!state.shared()) {
            return moveLocally(root, change);
        }
        if (change.fromLocal() && !LocalStates.holdsResources(change.localFile())) {
            out.println("    the local state holds no resources: nothing to copy");
            return "-reconfigure";
        }
        if (change.fromLocal()) {
            LocalStates.recordBeside(change.localFile()).filter(r -> !state.local().sameOwner(r)).ifPresent(r -> {
                throw new PreconditionException("the local state " + change.localFile() + " was made for account "
                        + r.path("account").asText() + ", region " + r.path("region").asText() + ", not for the "
                        + "account and region of " + where(root) + " now: it is not copied to S3; nothing was "
                        + "changed");
            });
        }
        if (state.holdsState(root)) {
            throw new PreconditionException("s3://" + state.bucket() + "/" + state.key(root) + " already holds a "
                    + "state, which copying this one would replace: pass --reconfigure to use it as it is (the state "
                    + "this working copy had stays where it was), or remove that object first; nothing was changed");
        }
        if (!migration.approve("Copy the state of " + where(root) + " from " + change.from() + " to "
                + state.describe(root) + "?")) {
            throw new FailureException("not confirmed: the state of " + root + " was not moved and nothing "
                    + "was changed; pass --reconfigure to use the new place without copying");
        }
        return "-migrate-state";
    }

    /**
     * The working copy used another local state than the state directory now gives. Its own terraform.tfstate was
     * moved there already ({@link LocalStates#moveFromWorkingCopy}); another account's or region's state stays where
     * it is, as this one keeps its own; but the same account's and region's state elsewhere, with resources, means the
     * state directory itself moved (terraform.state_dir, XDG_STATE_HOME), and starting afresh would forget them.
     */
    private String moveLocally(Path root, StateBackend.Change change) {
        Path old = change.localFile();
        if (old == null || old.equals(LocalStates.inWorkingCopy(root)) || !LocalStates.holdsResources(old)) {
            return "-reconfigure";
        }
        boolean sameOwner = LocalStates.recordBeside(old).map(r -> state.local().sameOwner(r)).orElse(true);
        if (sameOwner && !LocalStates.holdsResources(state.local().file(root))) {
            throw new PreconditionException("the state of " + where(root) + " for this account and region is "
                    + old + ", but the state directory now gives " + state.local().file(root) + ": set "
                    + "terraform.state_dir (PGLOGS_STATE_DIR) or XDG_STATE_HOME back, or move the files of "
                    + old.getParent() + " there, or pass --reconfigure to start with an empty state; nothing was "
                    + "changed");
        }
        out.println("    the state used until now stays where it is: " + old);
        return "-reconfigure";
    }

    /** Whether this binary takes S3's own lock object (use_lockfile), asked once per run. */
    private boolean lockFile(Path root) {
        if (lockFile == null) {
            try {
                lockFile = StateBackend.supportsLockFile(JSON.readTree(runner.capture(root,
                        List.of("version", "-json"))).path("terraform_version").asText(""));
            } catch (IOException | RuntimeException e) {
                lockFile = false; // an old binary without version -json predates the lock file too
            }
        }
        return lockFile;
    }

    private static String where(Path root) {
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
                    throw new FailureException("not confirmed: " + a.what() + " was not adopted and nothing was "
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

    private static void collectAddresses(JsonNode module, Set<String> into) {
        module.path("resources").forEach(r -> into.add(r.path("address").asText()));
        module.path("child_modules").forEach(m -> collectAddresses(m, into));
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
