package io.pglogs.cli.app;

import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Setting;
import io.pglogs.cli.error.FailureException;
import io.pglogs.cli.error.InterruptedByUserException;
import io.pglogs.cli.error.PreconditionException;
import io.pglogs.cli.failed.FailureQueue;
import io.pglogs.cli.ingest.DeployedSettings;
import io.pglogs.cli.rds.CollectedDatabases;
import io.pglogs.cli.table.DeployedTable;
import io.pglogs.cli.table.TableTags;
import io.pglogs.cli.terraform.Adoption;
import io.pglogs.cli.terraform.Adoptions;
import io.pglogs.cli.terraform.DeployedCollectors;
import io.pglogs.cli.terraform.TerraformSteps;
import io.pglogs.cli.term.Prompt;
import io.pglogs.forwarder.dynamo.StorageFormat;
import io.pglogs.forwarder.parse.Redaction;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starting and stopping an environment: the two Terraform roots applied or destroyed in order, with the checks and
 * confirmations around them, and AWS itself checked afterwards.
 */
public final class Deployments {
    /**
     * Collectors deployed by earlier versions gave CloudWatch Logs one invoke permission per log group; the two that
     * replace them are added first, so that no delivery meets a function it may not invoke.
     */
    private static final TerraformSteps.FirstApply PERMISSIONS_BEFORE_PER_GROUP_ONES_GO = new TerraformSteps.FirstApply(
            "module.collectors.aws_lambda_permission.logs[",
            List.of("module.collectors.aws_lambda_permission.postgres_log_groups"),
            "they replace the per-group invoke permissions, which go only once these exist");

    /**
     * @param lambdaJar     the forwarder jar as typed (null: the settings decide)
     * @param moveTableFrom --move-table-from: the table a move leaves, approving it without a terminal (null: none)
     */
    public record StartRequest(TerraformFlags terraform, String lambdaJar, boolean yes, boolean allowRemovals,
                               String moveTableFrom) {
    }

    public record StopRequest(TerraformFlags terraform, boolean yes, boolean includeData, boolean discardFailed,
                              boolean adopt) {
    }

    private final Session session;
    private final Console console;

    private Deployments(Session session, Console console) {
        this.session = session;
        this.console = console;
    }

    public static Deployments of(Session session, Console console) {
        return new Deployments(session, console);
    }

    /** The table, then the collectors; prints what it does and, unless quiet, the outcome. */
    public void start(StartRequest request) {
        Environment env = session.env();
        PrintWriter out = console.out();
        boolean planOnly = request.terraform().planOnly();
        Path jar = Path.of(session.settings().get(Setting.LAMBDA_JAR, env, "--lambda-jar", request.lambdaJar())
                .value());
        if (!Files.isRegularFile(jar)) {
            throw new PreconditionException("the forwarder jar " + jar + " is missing: build it with "
                    + "'mvn -B package -DskipTests' in " + session.host().home());
        }
        TerraformSetup terraform = new TerraformSetup(session, request.terraform(), console);
        Prompt prompt = terraform.prompt();
        TerraformSteps.Approval approval = env.isProd() && !request.yes()
                ? TerraformSteps.typedYes(prompt, "changing prod needs a confirmation: run at a terminal, or pass --yes")
                : what -> true;
        TerraformSteps.Approval removals = request.allowRemovals() ? what -> true
                : TerraformSteps.typedYes(prompt, "this start removes subscriptions or the function: confirm at a "
                        + "terminal, or pass --allow-removals (--yes is not enough); nothing was changed");
        StartChecks checks = new StartChecks(session, console);
        TerraformSteps steps = terraform.steps(request.yes(), checks.review(removals));
        TerraformSteps.Approval adoptTable = request.yes() ? what -> true
                : TerraformSteps.typedYes(prompt, "adopting an existing table needs a confirmation: run "
                        + "at a terminal, or pass --yes");
        session.requestedStorage(); // a bad <env>.storage, .redact or .summaries is exit 2 before any AWS call
        session.requestedRedaction();
        session.requestedSummaries();
        TableMove.refuseAReplacedTable(session);
        StorageFormat storage = checks.storage();
        StartChecks.Collecting collecting = checks.databases(planOnly);
        CollectedDatabases databases = collecting.databases();
        Path dir = terraform.directory();
        Path data = env.persistentDataRoot(dir);
        AtomicBoolean moveShownOnly = new AtomicBoolean();
        AtomicReference<TableMove> moving = new AtomicReference<>();
        Thread interrupted = new Thread(() -> {
            TableMove m = moving.get();
            if (m != null && m.forgotten()) {
                console.err().println("pglogs: interrupted: " + m.halfDone(data));
                console.err().flush();
            }
        });
        Runtime.getRuntime().addShutdownHook(interrupted);
        try {
            steps.run("[1/2] persistent_data/manage_" + env, data, TerraformSteps.Mode.APPLY, inState -> {
                Optional<TableMove> move = TableMove.find(inState, session, console);
                Redaction redaction = checks.redaction(move.flatMap(TableMove::old));
                move.ifPresent(moving::set);
                if (move.isPresent() && !move.get().carryOut(steps, data, storage, planOnly, prompt,
                        request.moveTableFrom())) {
                    moveShownOnly.set(true);
                    return null;
                }
                return terraform.persistentData(storage, redaction, checks.summaries()).tfvars();
            }, planOnly, approval, new TerraformSteps.Preparation(Adoptions.table(session.table(),
                    session.tableName(), env.name(), env.isProd()).stream().toList(), adoptTable, List.of()));
        } catch (PreconditionException | FailureException | InterruptedByUserException e) {
            TableMove m = moving.get();
            if (m == null || !m.forgotten()) {
                throw e;
            }
            // Never "nothing was changed": the old table already left the state.
            throw sameKind(e, withoutNothingChanged(e) + "; but " + m.halfDone(data));
        } finally {
            removeQuietly(interrupted);
        }
        if (moveShownOnly.get()) {
            if (!console.quiet()) {
                out.println(console.style().ok("Move shown for " + env + "; nothing was changed."));
            }
            return;
        }
        TableMove move = moving.get();
        if (move != null) {
            move.markOld();
        }
        // Another run may have moved the environment away from this table while this one planned.
        if (!planOnly) {
            TableMove.refuseAReplacedTable(session.tableName(), session);
        }
        try {
            steps.run("[2/2] collectors/manage_" + env, env.collectorsRoot(dir), TerraformSteps.Mode.APPLY,
                    terraform.collectors(jar, databases).tfvars(), planOnly, approval,
                    new TerraformSteps.Preparation(Adoptions.lambdaLogGroup(session.aws().logs(),
                            session.functionName()).stream().toList(), what -> true,
                            List.of(PERMISSIONS_BEFORE_PER_GROUP_ONES_GO)));
        } catch (PreconditionException | FailureException | InterruptedByUserException e) {
            if (move == null) {
                throw e;
            }
            throw sameKind(e, withoutNothingChanged(e) + "; the move is half done: " + session.tableName() + " is "
                    + "made and in the state, but the collectors still write to " + move.from() + ": run 'pglogs "
                    + "start " + env + "' again to finish it");
        }
        if (!planOnly) {
            new CollectorsCheck(session, console).afterStart(databases.logGroups());
        }
        if (collecting.refusedAfterThePlans() > 0) {
            throw new PreconditionException("plans shown, but the start would be refused: "
                    + collecting.refusedAfterThePlans()
                    + " configured log group(s) cannot be subscribed (listed above); nothing was changed");
        }
        if (!console.quiet()) {
            out.println(console.style().ok(planOnly ? "Plans shown for " + env + "; nothing was changed."
                    : env + " is started. Check it with: pglogs status " + env));
        }
    }

    /** The collectors, and with includeData the table; prints what it does and, unless quiet, the outcome. */
    public void stop(StopRequest request) {
        Environment env = session.env();
        PrintWriter out = console.out();
        boolean planOnly = request.terraform().planOnly();
        TerraformSetup terraform = new TerraformSetup(session, request.terraform(), console);
        Prompt prompt = terraform.prompt();
        String table = session.tableName();
        // Settings first: a bad one is exit 2 before any AWS call.
        TerraformSteps steps = terraform.steps(request.yes(), TerraformSteps.Review.NONE);
        String destroyed = request.includeData() ? tableTheDataStepDestroys(steps, terraform.directory()) : table;
        if (request.includeData() && env.isProd()) {
            // Asked before anything is destroyed, so a refusal leaves prod exactly as it was.
            out.println(console.style().error("This destroys the prod table " + destroyed
                    + " and every log entry in it."));
            out.println("The prod table has deletion protection and prevent_destroy; the destroy fails until both "
                    + "are lifted: in terraform/persistent_data/manage_prod/main.tf set prevent_destroy = false and "
                    + "deletion_protection = false, swap from and to in its moved block, and apply that first.");
            if (!prompt.typed("Type the environment name (prod) to destroy its data: ", "prod",
                    "refusing to destroy the prod table without a typed confirmation: run 'pglogs stop prod "
                            + "--include-data' at a terminal")) {
                throw new PreconditionException("not confirmed: nothing was destroyed");
            }
        }
        String function = session.functionName();
        Path dir = terraform.directory();
        Path collectors = env.collectorsRoot(dir);
        session.aws(); // the account check: nothing runs with another account's credentials
        String collectorsTable = tableTheCollectorsRead();
        CollectedDatabases databases = session.databases();
        if (!planOnly && !request.discardFailed()) {
            refuseWhileFailedPayloadsWait();
        }
        TerraformSteps.Approval approval = env.isProd() && !request.yes()
                ? TerraformSteps.typedYes(prompt, "stopping prod needs a confirmation: run at a terminal, or pass "
                        + "--yes")
                : what -> true;
        List<Adoption> adoptions = List.of();
        if (request.adopt()) {
            // Subscriptions on groups no longer configured are adopted too: the destroy then removes them, rather
            // than leaving filters that point at a deleted function.
            DeployedCollectors found = DeployedCollectors.lookEverywhere(session.aws(), env.name(), function,
                    databases.logGroups());
            databases = databases.withLogGroups(found.subscribed());
            // Checked against <env>.table itself: a function that writes elsewhere is not adopted and destroyed on
            // the strength of a setting that names no table.
            adoptions = Adoptions.collectors(session.aws(), env.name(), table, function, found);
        }
        int total = request.includeData() ? 2 : 1;
        steps.run("[1/" + total + "] collectors/manage_" + env, collectors, TerraformSteps.Mode.DESTROY,
                terraform.collectors(Path.of(session.setting(Setting.LAMBDA_JAR).value()), databases,
                        collectorsTable).tfvars(),
                planOnly, approval, new TerraformSteps.Preparation(adoptions, what -> true, List.of()));
        if (!planOnly) {
            new CollectorsCheck(session, console).afterStop(databases.logGroups(),
                    terraform.state().describe(collectors));
        }
        if (request.includeData()) {
            TerraformSteps.Approval dataApproval = env.isProd() || request.yes() ? what -> true
                    : TerraformSteps.typedYes(prompt, "destroying the devel table needs a confirmation: run at "
                            + "a terminal, or pass --yes");
            steps.run("[2/2] persistent_data/manage_" + env, env.persistentDataRoot(dir),
                    TerraformSteps.Mode.DESTROY, terraform.persistentData(null, null, null).tfvars(), planOnly,
                    dataApproval);
        }
        if (!console.quiet() && !planOnly) {
            out.println(console.style().ok(request.includeData()
                    ? env + " is stopped and its table destroyed."
                    : env + " is stopped; the logs stored in " + table + " stay until their TTL."));
        }
    }

    /**
     * The table the state of persistent_data holds, which is what --include-data destroys whatever the settings say:
     * it must be {@code <env>.table}, and that must not be a table the environment moved away from, else settings
     * older than a move would destroy the live table.
     */
    private String tableTheDataStepDestroys(TerraformSteps steps, Path dir) {
        Environment env = session.env();
        String configured = session.tableName();
        session.aws(); // the account check: nothing runs with another account's credentials
        List<TerraformSteps.StateTable> inState = steps.tablesIn(env.persistentDataRoot(dir));
        String key = Setting.TABLE.key(env);
        for (TerraformSteps.StateTable t : inState) {
            if (!t.name().equals(configured)) {
                throw new PreconditionException("--include-data destroys the table " + env + "'s Terraform state "
                        + "manages, " + t.name() + ", but " + key + " names " + configured + ": set " + key + " = "
                        + t.name() + " if that is the table to destroy; nothing was changed");
            }
        }
        String by = session.table().map(t -> t.tags().replacedBy()).orElse(null);
        if (by != null) {
            throw new PreconditionException("--include-data: " + key + " names " + configured + ", which is tagged "
                    + TableTags.REPLACED_BY + "=" + by + " (" + env + " moved to " + by + "): settings that name it "
                    + "predate the move; set " + key + " = " + by + " first; nothing was changed");
        }
        return inState.isEmpty() ? configured : inState.get(0).name();
    }

    /**
     * The table the collectors' root is to look up by name while it destroys: {@code <env>.table}, unless that table
     * does not exist (a move to it that start was not allowed to make) and the function writes to another one that
     * does; then that one, said so, since the root cannot even plan a destroy around a table that is not there.
     * The destroy takes what the state holds whatever the name; --adopt still checks the function against
     * {@code <env>.table}.
     */
    private String tableTheCollectorsRead() {
        String configured = session.tableName();
        if (session.table().isPresent()) {
            return configured;
        }
        Map<String, String> function = DeployedSettings.functionEnvironment(session.aws().lambda(),
                session.functionName());
        String writesTo = function == null ? null : function.get("PGLOGS_TABLE");
        if (writesTo == null || writesTo.equals(configured)
                || DeployedTable.read(session.aws().dynamoDb(), writesTo).isEmpty()) {
            return configured;
        }
        console.out().println(console.style().warn("    " + Setting.TABLE.key(session.env()) + " names " + configured
                + ", which does not exist; the function " + session.functionName() + " writes to " + writesTo
                + ": stopping the collectors of that table"));
        return writesTo;
    }

    /** A step's error without its "nothing was changed in ROOT", which a half-done move makes untrue. */
    private static String withoutNothingChanged(RuntimeException e) {
        return e.getMessage().replaceAll("( and)?[;:]? ?nothing was changed in \\S+$", "");
    }

    /** The same exit code as the step's error, with what the move left said. */
    private static RuntimeException sameKind(RuntimeException e, String message) {
        if (e instanceof PreconditionException) {
            return new PreconditionException(message);
        }
        return e instanceof InterruptedByUserException ? new InterruptedByUserException(message)
                : new FailureException(message);
    }

    private static void removeQuietly(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // the JVM is already shutting down: the hook runs
        }
    }

    /** The failure queue goes with the collectors: payloads still in it would be lost for good. */
    private void refuseWhileFailedPayloadsWait() {
        Environment env = session.env();
        FailureQueue.find(session.aws().lambda(), session.aws().sqs(), session.functionName()).ifPresent(queue -> {
            long waiting = queue.depth();
            if (waiting > 0) {
                throw new PreconditionException("the failure queue " + queue.name() + " holds " + waiting
                        + " payload(s) that were never stored, and stopping deletes it: replay them with "
                        + "'pglogs failed redrive " + env + "' first, or pass --discard-failed to lose them; "
                        + "nothing was changed");
            }
        });
    }
}
