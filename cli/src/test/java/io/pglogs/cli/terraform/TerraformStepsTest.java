package io.pglogs.cli.terraform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Host;
import io.pglogs.cli.config.Settings;
import io.pglogs.cli.error.FailureException;
import io.pglogs.cli.error.PreconditionException;
import io.pglogs.cli.term.Style;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The steps of a start or stop against a scripted Terraform: which subcommands run in which order, what a dropped
 * connection repeats, what is reviewed and approved. No binary, no AWS.
 */
class TerraformStepsTest {
    private static final Settings.Value UNSET = new Settings.Value("x", null, "default");
    private static final String NO_CHANGES = "{\"resource_changes\":[]}";

    @TempDir
    Path tmp;

    private Path root;
    private final StringWriter out = new StringWriter();
    private final ScriptedTerraform terraform = new ScriptedTerraform();

    /** Exit codes and transit failures, in the order of the runs; "show -json" answers come from {@link #shown}. */
    static final class ScriptedTerraform implements Terraform {
        final Deque<int[]> results = new ArrayDeque<>(); // {exit code, 1 when it failed in transit}
        final List<String> runs = new ArrayList<>();
        String shown = NO_CHANGES;
        String state = "{\"values\":{\"root_module\":{}}}";
        private boolean lastInTransit;

        ScriptedTerraform then(int code) {
            results.add(new int[] {code, 0});
            return this;
        }

        ScriptedTerraform thenDropped(int code) {
            results.add(new int[] {code, 1});
            return this;
        }

        @Override
        public Path binary() {
            return Path.of("/usr/bin/tofu");
        }

        @Override
        public int run(Path dir, List<String> args) {
            runs.add(args.get(0) + (args.contains("-destroy") ? " -destroy" : "")
                    + args.stream().filter(a -> a.startsWith("-target=")).map(a -> " " + a).reduce("", String::concat));
            int[] next = results.isEmpty() ? new int[] {0, 0} : results.poll();
            lastInTransit = next[1] == 1;
            return next[0];
        }

        @Override
        public String capture(Path dir, List<String> args) {
            runs.add(String.join(" ", args.subList(0, Math.min(2, args.size()))));
            return args.contains("-json") && args.size() > 2 ? shown : state;
        }

        @Override
        public boolean lastRunFailedInTransit() {
            return lastInTransit;
        }
    }

    @BeforeEach
    void root() throws IOException {
        root = Files.createDirectories(tmp.resolve("collectors/manage_devel"));
        // An initialised working copy with a local state in the state directory: no init unless the state moved.
        Files.createDirectories(root.resolve(".terraform"));
        Files.writeString(root.resolve(".terraform/terraform.tfstate"), "{\"backend\":{\"type\":\"local\","
                + "\"config\":{\"path\":\"" + local().file(root) + "\"}}}");
    }

    private LocalStates local() {
        return new LocalStates(tmp.resolve("state"), "123456789012", "eu-west-1", Environment.devel);
    }

    private StateBackend localBackend() {
        Settings settings = Settings.load(new Host(Map.of("HOME", tmp.toString()), tmp));
        return StateBackend.resolve(settings, Environment.devel, UNSET, UNSET, UNSET).withLocalStates(this::local);
    }

    private TerraformSteps steps(TerraformSteps.Review review) {
        return new TerraformSteps(terraform, new Style(false), new PrintWriter(out, true), localBackend(), false,
                what -> true, review);
    }

    @Test
    void anApplyPlansShowsReviewsAndAppliesThatPlan() {
        terraform.then(2).then(0); // plan: changes; apply: ok
        List<String> reviewed = new ArrayList<>();
        boolean changed = steps((r, plan, planOnly) -> reviewed.add(r.getFileName() + " " + planOnly))
                .run("[2/2] collectors", root, TerraformSteps.Mode.APPLY, Map.of("region", "eu-west-1"), false,
                        what -> true);
        assertTrue(changed);
        assertEquals(List.of("plan", "show -json", "apply"), terraform.runs);
        assertEquals(List.of("manage_devel false"), reviewed);
    }

    @Test
    void forgettingWhatAnotherRunForgotFirstSaysSoAndAFailedRmOfWhatIsStillThereFails() {
        terraform.then(1); // state rm: "No matching objects"; the state no longer has it
        assertFalse(steps(TerraformSteps.Review.NONE).forget(root, "module.table.aws_dynamodb_table.this[0]"));
        assertEquals(List.of("state", "show -json"), terraform.runs);

        terraform.state = "{\"values\":{\"root_module\":{\"child_modules\":[{\"resources\":[{\"address\":"
                + "\"module.table.aws_dynamodb_table.this[0]\"}]}]}}}";
        terraform.then(1); // a lock, say: still in the state
        FailureException e = assertThrows(FailureException.class, () -> steps(TerraformSteps.Review.NONE)
                .forget(root, "module.table.aws_dynamodb_table.this[0]"));
        assertTrue(e.getMessage().startsWith("tofu state rm module.table.aws_dynamodb_table.this[0] failed in "),
                e.getMessage());

        terraform.then(0);
        assertTrue(steps(TerraformSteps.Review.NONE).forget(root, "module.table.aws_dynamodb_table.this[0]"));
    }

    @Test
    void aPlanWithoutChangesAppliesNothing() {
        terraform.then(0);
        assertFalse(steps(TerraformSteps.Review.NONE).run("x", root, TerraformSteps.Mode.APPLY, Map.of(), false,
                what -> true));
        assertEquals(List.of("plan"), terraform.runs);
        assertTrue(out.toString().contains("no changes in manage_devel"), out.toString());
    }

    @Test
    void aPlanThatLostItsConnectionIsMadeOnceMoreAndOnlyOnce() {
        terraform.thenDropped(1).then(2).then(0);
        steps(TerraformSteps.Review.NONE).run("x", root, TerraformSteps.Mode.APPLY, Map.of(), false, what -> true);
        assertEquals(List.of("plan", "plan", "show -json", "apply"), terraform.runs);
        assertTrue(out.toString().contains("the plan failed on a dropped connection to AWS; planning again"));

        terraform.runs.clear();
        terraform.thenDropped(1).thenDropped(1);
        FailureException e = assertThrows(FailureException.class, () -> steps(TerraformSteps.Review.NONE)
                .run("x", root, TerraformSteps.Mode.APPLY, Map.of(), false, what -> true));
        assertEquals(List.of("plan", "plan"), terraform.runs, "a second drop is a failure, not a loop");
        assertTrue(e.getMessage().contains("plan failed"), e.getMessage());
    }

    @Test
    void anApplyThatLostItsConnectionPlansTheRestAgainAndAsksAgain() {
        terraform.then(2).thenDropped(1).then(2).then(0);
        List<String> asked = new ArrayList<>();
        assertTrue(steps(TerraformSteps.Review.NONE).run("x", root, TerraformSteps.Mode.APPLY, Map.of(), false,
                what -> asked.add(what)));
        assertEquals(List.of("plan", "show -json", "apply", "plan", "show -json", "apply"), terraform.runs);
        assertEquals(2, asked.size(), "the rest is a new plan: approved again");
    }

    /** Each plan may be made twice and the apply's rest planned once more: bounded, never a loop. */
    @Test
    void aDroppedPlanThenADroppedApplyAreEachRepeatedOnce() {
        terraform.thenDropped(1).then(2).thenDropped(1).thenDropped(1).then(2).thenDropped(1);
        FailureException e = assertThrows(FailureException.class, () -> steps(TerraformSteps.Review.NONE)
                .run("x", root, TerraformSteps.Mode.APPLY, Map.of(), false, what -> true));
        assertEquals(List.of("plan", "plan", "show -json", "apply", "plan", "plan", "show -json", "apply"),
                terraform.runs);
        assertTrue(e.getMessage().contains("apply failed"), e.getMessage());
    }

    @Test
    void anApplyFailureThatIsNotTheNetworksStopsAtOnce() {
        terraform.then(2).then(1);
        assertThrows(FailureException.class, () -> steps(TerraformSteps.Review.NONE).run("x", root,
                TerraformSteps.Mode.APPLY, Map.of(), false, what -> true));
        assertEquals(List.of("plan", "show -json", "apply"), terraform.runs);
    }

    @Test
    void aRefusedPlanChangesNothingAndAPlanOnlyRunAppliesNothing() {
        terraform.then(2);
        PreconditionException e = assertThrows(PreconditionException.class, () -> steps(TerraformSteps.Review.NONE)
                .run("x", root, TerraformSteps.Mode.APPLY, Map.of(), false, what -> false));
        assertTrue(e.getMessage().startsWith("not confirmed: nothing was changed"), e.getMessage());
        assertFalse(terraform.runs.contains("apply"));

        terraform.runs.clear();
        terraform.then(2);
        List<Boolean> planOnly = new ArrayList<>();
        assertTrue(steps((r, plan, only) -> planOnly.add(only)).run("x", root, TerraformSteps.Mode.APPLY, Map.of(),
                true, what -> {
                    throw new AssertionError("a plan-only run asks nothing");
                }));
        assertEquals(List.of("plan", "show -json"), terraform.runs);
        assertEquals(List.of(true), planOnly, "the review still sees the plan, to show what it would refuse");
    }

    @Test
    void aDestroyIsNotReviewedAndAReviewCanRefuseAnApply() {
        terraform.then(2).then(0);
        steps((r, plan, only) -> {
            throw new AssertionError("destroys are not reviewed");
        }).run("x", root, TerraformSteps.Mode.DESTROY, Map.of(), false, what -> true);
        assertEquals(List.of("plan -destroy", "apply"), terraform.runs);

        terraform.runs.clear();
        terraform.then(2);
        terraform.shown = "{\"resource_changes\":[{\"address\":\"module.table.aws_dynamodb_table.this[0]\","
                + "\"type\":\"aws_dynamodb_table\",\"change\":{\"actions\":[\"delete\",\"create\"],"
                + "\"before\":{\"name\":\"pglogs-devel\"}}}]}";
        FailureException e = assertThrows(FailureException.class, () -> steps((r, plan, only) ->
                plan.refuseToLoseATable()).run("x", root, TerraformSteps.Mode.APPLY, Map.of(), false, what -> true));
        assertTrue(e.getMessage().startsWith("the plan would replace the table pglogs-devel"), e.getMessage());
        assertFalse(terraform.runs.contains("apply"));
    }

    @Test
    void anImportThatLostItsConnectionRunsOnceMore() {
        terraform.thenDropped(1).then(0).then(0); // import dropped, import ok, plan: no changes
        steps(TerraformSteps.Review.NONE).run("x", root, TerraformSteps.Mode.APPLY, Map.of(), false, what -> true,
                new TerraformSteps.Preparation(List.of(new Adoption("module.collectors.aws_cloudwatch_log_group"
                        + ".lambda", "/aws/lambda/f", "log group /aws/lambda/f", false,
                        List.of("module.collectors.aws_cloudwatch_log_group.lambda"))), what -> true, List.of()));
        assertEquals(List.of("show -json", "import", "import", "plan"), terraform.runs);
        assertTrue(out.toString().contains("importing again"), out.toString());
    }

    @Test
    void theVariablesReachTheVarFileWithoutTheUnsetOnes() {
        List<String> varFiles = new ArrayList<>();
        Terraform capturing = new Terraform() {
            @Override
            public Path binary() {
                return terraform.binary();
            }

            @Override
            public int run(Path dir, List<String> args) {
                args.stream().filter(a -> a.startsWith("-var-file=")).forEach(a -> {
                    try {
                        varFiles.add(Files.readString(Path.of(a.substring("-var-file=".length()))));
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                });
                return 0;
            }

            @Override
            public String capture(Path dir, List<String> args) {
                return NO_CHANGES;
            }

            @Override
            public boolean lastRunFailedInTransit() {
                return false;
            }
        };
        java.util.Map<String, Object> variables = new java.util.LinkedHashMap<>();
        variables.put("region", "eu-west-1");
        variables.put("allowed_account_ids", null);
        variables.put("rds_instance_ids", List.of("orders-db"));
        new TerraformSteps(capturing, new Style(false), new PrintWriter(out, true),
                localBackend(), false, what -> true,
                TerraformSteps.Review.NONE).run("x", root, TerraformSteps.Mode.APPLY, variables, false, what -> true);
        assertEquals(List.of("{\"region\":\"eu-west-1\",\"rds_instance_ids\":[\"orders-db\"]}"), varFiles);
    }

    /** What init was run with, besides the subcommand. */
    private List<String> initArgs = new ArrayList<>();

    private boolean rootDeclaresBackend = true;

    private TerraformSteps recordingInit() {
        return recordingInit(localBackend());
    }

    /** A backend with the state bucket set, whose bucket holds a state when {@code s3Holds} says so. */
    private StateBackend sharedBackend(java.util.function.Predicate<String> s3Holds) {
        Settings settings = Settings.load(new Host(Map.of("HOME", tmp.toString(), "PGLOGS_DEVEL_STATE_BUCKET",
                "team-state"), tmp));
        Settings.Value region = new Settings.Value("aws_region", "eu-west-1", "default");
        return StateBackend.resolve(settings, Environment.devel, region, UNSET, UNSET).withLocalStates(this::local)
                .lookingWith(s3Holds);
    }

    private TerraformSteps recordingInit(StateBackend backend) {
        Terraform recording = new Terraform() {
            @Override
            public Path binary() {
                return terraform.binary();
            }

            @Override
            public int run(Path dir, List<String> args) {
                if (args.get(0).equals("init")) {
                    initArgs = args;
                    // As Terraform does for a root that declares backend "local" {}: the path given is recorded.
                    args.stream().filter(a -> a.startsWith("-backend-config=path=")).findFirst()
                            .filter(a -> rootDeclaresBackend).ifPresent(a -> {
                                try {
                                    Files.writeString(dir.resolve(".terraform/terraform.tfstate"), "{\"backend\":{"
                                            + "\"type\":\"local\",\"config\":{\"path\":\""
                                            + a.substring("-backend-config=path=".length()) + "\"}}}");
                                } catch (IOException e) {
                                    throw new java.io.UncheckedIOException(e);
                                }
                            });
                }
                return 0;
            }

            @Override
            public String capture(Path dir, List<String> args) {
                return NO_CHANGES;
            }

            @Override
            public boolean lastRunFailedInTransit() {
                return false;
            }
        };
        return new TerraformSteps(recording, new Style(false), new PrintWriter(out, true), backend, false,
                what -> true, TerraformSteps.Review.NONE);
    }

    private static final String A_STATE = "{\"version\":4,\"serial\":3,\"resources\":[{\"type\":\"terraform_data\","
            + "\"name\":\"x\",\"instances\":[]}]}";

    @Test
    void aStateTheWorkingCopyHoldsMovesToTheStateDirectoryAndTheOldOneIsKeptAside() throws IOException {
        // A working copy as earlier versions left it: initialised without a path, its state in the root.
        Files.writeString(root.resolve(".terraform/terraform.tfstate"), "{\"backend\":{\"type\":\"local\"}}");
        Files.writeString(root.resolve("terraform.tfstate"), A_STATE);
        recordingInit().run("x", root, TerraformSteps.Mode.APPLY, Map.of(), false, what -> true);

        Path moved = local().file(root);
        assertEquals(tmp.resolve("state/123456789012/eu-west-1/devel/collectors.tfstate"), moved);
        assertEquals(A_STATE, Files.readString(moved));
        assertFalse(Files.exists(root.resolve("terraform.tfstate")));
        assertEquals(A_STATE, Files.readString(root.resolve("terraform.tfstate.moved-to-state-dir")), "kept aside");
        assertTrue(Files.readString(local().record(root)).contains("\"account\" : \"123456789012\""));
        assertEquals(List.of("init", "-input=false", "-reconfigure", "-backend-config=path=" + moved), initArgs);
        assertTrue(out.toString().contains("moved the local state of collectors/manage_devel"), out.toString());
    }

    @Test
    void aStateAlreadyInTheStateDirectoryIsNeverReplaced() throws IOException {
        Files.writeString(root.resolve("terraform.tfstate"), A_STATE);
        Files.createDirectories(local().directory());
        Files.writeString(local().file(root), "{\"version\":4,\"serial\":9,\"resources\":[]}");
        PreconditionException e = assertThrows(PreconditionException.class, () -> recordingInit().run("x", root,
                TerraformSteps.Mode.APPLY, Map.of(), false, what -> true));
        assertTrue(e.getMessage().startsWith("both " + root.resolve("terraform.tfstate") + " and "
                + local().file(root) + " hold a Terraform state of collectors/manage_devel"), e.getMessage());
        assertEquals(A_STATE, Files.readString(root.resolve("terraform.tfstate")), "nothing changed");
        assertTrue(Files.readString(local().file(root)).contains("\"serial\":9"));
        assertTrue(initArgs.isEmpty(), "nothing ran");
    }

    @Test
    void aStateRecordedForAnotherAccountOrRegionIsRefused() throws IOException {
        // A directory of another region renamed into this one's place: the record beside the state tells.
        LocalStates other = new LocalStates(tmp.resolve("state"), "123456789012", "us-east-2", Environment.devel);
        other.writeRecord(root);
        Files.writeString(other.file(root), A_STATE);
        Files.move(other.directory().getParent(), local().directory().getParent());
        PreconditionException e = assertThrows(PreconditionException.class, () -> recordingInit().run("x", root,
                TerraformSteps.Mode.APPLY, Map.of(), false, what -> true));
        assertTrue(e.getMessage().startsWith("the local state " + local().file(root) + " was made for account "
                + "123456789012, region us-east-2, environment devel"), e.getMessage());
        assertTrue(initArgs.isEmpty(), "nothing ran");

        LocalStates account = new LocalStates(tmp.resolve("state"), "210987654321", "eu-west-1", Environment.devel);
        Files.move(local().directory().getParent().getParent(), account.directory().getParent().getParent());
        e = assertThrows(PreconditionException.class, () -> account.refuseAnotherOwner(root));
        assertTrue(e.getMessage().contains("was made for account 123456789012, region us-east-2, environment devel"),
                e.getMessage());
    }

    @Test
    void aStateDirectoryThatMovedAwayFromTheStateIsRefused() throws IOException {
        // The working copy used the state at an earlier state directory, for this account and region.
        LocalStates before = new LocalStates(tmp.resolve("old-state"), "123456789012", "eu-west-1",
                Environment.devel);
        before.writeRecord(root);
        Files.writeString(before.file(root), A_STATE);
        Files.writeString(root.resolve(".terraform/terraform.tfstate"), "{\"backend\":{\"type\":\"local\","
                + "\"config\":{\"path\":\"" + before.file(root) + "\"}}}");
        PreconditionException e = assertThrows(PreconditionException.class, () -> recordingInit().run("x", root,
                TerraformSteps.Mode.APPLY, Map.of(), false, what -> true));
        assertTrue(e.getMessage().startsWith("the state of collectors/manage_devel for this account and region is "
                + before.file(root) + ", but the state directory now gives " + local().file(root)), e.getMessage());
        assertTrue(initArgs.isEmpty(), "nothing ran");
    }

    @Test
    void aRootWithoutABackendBlockIsRefusedRatherThanKeepItsStateInTheTerraformDirectory() throws IOException {
        rootDeclaresBackend = false;
        Files.delete(root.resolve(".terraform/terraform.tfstate"));
        PreconditionException e = assertThrows(PreconditionException.class, () -> recordingInit().run("x", root,
                TerraformSteps.Mode.APPLY, Map.of(), false, what -> true));
        assertTrue(e.getMessage().startsWith("collectors/manage_devel in " + tmp + " declares no backend \"local\" {}"),
                e.getMessage());
    }

    @Test
    void aStateCopiedToS3IsRenamedAsideAndNeverUsedAgain() throws IOException {
        // A new working copy (a new installation) with the bucket set, the state still in the state directory.
        Files.delete(root.resolve(".terraform/terraform.tfstate"));
        local().writeRecord(root);
        Path file = local().file(root);
        Files.writeString(file, A_STATE);
        recordingInit(sharedBackend(key -> false)).run("x", root, TerraformSteps.Mode.APPLY, Map.of(), false,
                what -> true);
        assertTrue(initArgs.contains("-migrate-state"), initArgs.toString());
        String s3 = "s3://team-state/pglogs/devel/eu-west-1/collectors.tfstate";
        assertFalse(Files.exists(file), "the copy Terraform leaves is not a state any more");
        assertEquals(A_STATE, Files.readString(file.resolveSibling("collectors.tfstate.moved-to-s3")), "kept");
        assertTrue(Files.readString(local().record(root)).contains("\"moved_to\" : \"" + s3 + "\""));

        // The next new working copy uses S3 as it is: nothing local is initialised, nothing copied, no refusal.
        Files.deleteIfExists(root.resolve(".terraform/terraform.tfstate"));
        initArgs = new ArrayList<>();
        recordingInit(sharedBackend(key -> true)).run("x", root, TerraformSteps.Mode.APPLY, Map.of(), false,
                what -> true);
        assertEquals(3, initArgs.size(), initArgs.toString());
        assertTrue(initArgs.get(2).startsWith("-backend-config=") && initArgs.get(2).endsWith(".s3.tfbackend"));

        // A shell without the bucket setting is refused rather than start a second state.
        Files.deleteIfExists(root.resolve(".terraform/terraform.tfstate"));
        initArgs = new ArrayList<>();
        PreconditionException e = assertThrows(PreconditionException.class, () -> recordingInit().run("x", root,
                TerraformSteps.Mode.APPLY, Map.of(), false, what -> true));
        assertTrue(e.getMessage().startsWith("the state of collectors/manage_devel was moved to " + s3),
                e.getMessage());
        assertTrue(initArgs.isEmpty(), "nothing ran");
        assertFalse(Files.exists(file));
    }

    @Test
    void aLocalStateBesideAStateInS3IsNeitherUsedNorCopied() throws IOException {
        Files.delete(root.resolve(".terraform/terraform.tfstate"));
        local().writeRecord(root);
        Files.writeString(local().file(root), A_STATE);
        PreconditionException e = assertThrows(PreconditionException.class, () -> recordingInit(
                sharedBackend(key -> true)).run("x", root, TerraformSteps.Mode.APPLY, Map.of(), false, what -> true));
        assertTrue(e.getMessage().startsWith("both " + local().file(root) + " and s3://team-state/pglogs/devel/"
                + "eu-west-1/collectors.tfstate hold a state of collectors/manage_devel"), e.getMessage());
        assertFalse(e.getMessage().contains("remove that object"));
        assertTrue(initArgs.isEmpty(), "nothing ran");
        assertEquals(A_STATE, Files.readString(local().file(root)));
    }
}
