package io.pglogs.cli.terraform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Host;
import io.pglogs.cli.config.Settings;
import io.pglogs.cli.error.FailureException;
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
            return args.contains("-json") && args.size() > 2 ? shown : "{\"values\":{\"root_module\":{}}}";
        }

        @Override
        public boolean lastRunFailedInTransit() {
            return lastInTransit;
        }
    }

    @BeforeEach
    void root() throws IOException {
        root = Files.createDirectories(tmp.resolve("collectors/manage_devel"));
        // An initialised working copy with a local state: no init unless the state moved.
        Files.createDirectories(root.resolve(".terraform"));
        Files.writeString(root.resolve(".terraform/terraform.tfstate"), "{\"backend\":{\"type\":\"local\"}}");
    }

    private TerraformSteps steps(TerraformSteps.Review review) {
        Settings settings = Settings.load(new Host(Map.of("HOME", tmp.toString()), tmp));
        StateBackend state = StateBackend.resolve(settings, Environment.devel, UNSET, UNSET, UNSET);
        return new TerraformSteps(terraform, new Style(false), new PrintWriter(out, true), state, false,
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
        FailureException e = assertThrows(FailureException.class, () -> steps(TerraformSteps.Review.NONE)
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
        Settings settings = Settings.load(new Host(Map.of("HOME", tmp.toString()), tmp));
        java.util.Map<String, Object> variables = new java.util.LinkedHashMap<>();
        variables.put("region", "eu-west-1");
        variables.put("allowed_account_ids", null);
        variables.put("rds_instance_ids", List.of("orders-db"));
        new TerraformSteps(capturing, new Style(false), new PrintWriter(out, true),
                StateBackend.resolve(settings, Environment.devel, UNSET, UNSET, UNSET), false, what -> true,
                TerraformSteps.Review.NONE).run("x", root, TerraformSteps.Mode.APPLY, variables, false, what -> true);
        assertEquals(List.of("{\"region\":\"eu-west-1\",\"rds_instance_ids\":[\"orders-db\"]}"), varFiles);
    }
}
