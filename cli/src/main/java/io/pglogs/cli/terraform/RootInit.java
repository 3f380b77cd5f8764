package io.pglogs.cli.terraform;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pglogs.cli.error.PreconditionException;
import io.pglogs.cli.term.Style;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A root's working copy brought to the state it is to use before anything is planned: {@code init} when it is new or
 * its state moved, the state carried over only where that is safe and approved.
 */
final class RootInit {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Terraform runner;
    private final Style style;
    private final PrintWriter out;
    private final StateBackend state;
    private final boolean reconfigure;
    private final TerraformSteps.Approval migration;
    private Boolean lockFile;

    RootInit(Terraform runner, Style style, PrintWriter out, StateBackend state, boolean reconfigure,
             TerraformSteps.Approval migration) {
        this.runner = runner;
        this.style = style;
        this.out = out;
        this.state = state;
        this.reconfigure = reconfigure;
        this.migration = migration;
    }

    /**
     * Initialises the root when its working copy is new or its state moved. A local state is kept in the state
     * directory ({@link LocalStates}): one the working copy still holds is moved there first, and one recorded for
     * another account or region is refused. A move to S3 copies the old state over (-migrate-state) once approved,
     * unless there is nothing to copy or the operator said --reconfigure. Two moves are never made on a mere --yes:
     * overwriting a state already in S3 (another machine's, perhaps newer), and copying an S3 state back to a local
     * file (a shell that lost the bucket setting would fork the state).
     */
    void init(Path root) {
        state.prepare(root);
        LocalStates local = state.local();
        boolean initialised = Files.isRegularFile(root.resolve(".terraform").resolve("terraform.tfstate"));
        Optional<StateBackend.Change> change = state.changeFrom(root);
        if (!state.shared()) {
            local.refuseAnotherOwner(root);
            local.refuseMovedToS3(root);
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
                if (state.holdsState(root)) {
                    // Copied there before copies were renamed aside, or another machine's: never guessed.
                    throw new PreconditionException("both " + local.file(root) + " and s3://" + state.bucket() + "/"
                            + state.key(root) + " hold a state of " + where(root) + ", and pglogs uses only the second "
                            + "now: if the S3 one was copied from the local one, rename " + local.file(root) + " to "
                            + local.file(root).getFileName() + LocalStates.MOVED_TO_S3_SUFFIX + "; otherwise compare "
                            + "them (tofu show) before anything else; nothing was changed");
                }
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
            if (args.contains("-migrate-state") && change.get().fromLocal() && change.get().localFile() != null) {
                Path aside = LocalStates.markMovedToS3(change.get().localFile(),
                        "s3://" + state.bucket() + "/" + state.key(root));
                out.println("    the local state copied to S3 is kept as " + aside + ", never used again");
            }
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
            TerraformSteps.deleteQuietly(config);
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
                    + "this working copy had stays where it was), or compare the two (tofu show) before removing "
                    + "either; nothing was changed");
        }
        if (!migration.approve("Copy the state of " + where(root) + " from " + change.from() + " to "
                + state.describe(root) + "?")) {
            throw new PreconditionException("not confirmed: the state of " + root + " was not moved and nothing "
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
        return TerraformSteps.where(root);
    }

    private void check(int code, String what, Path root) {
        TerraformSteps.check(runner, code, what, root);
    }
}
