package io.pglogs.cli.command;

import io.pglogs.cli.app.Retentions;
import io.pglogs.cli.app.Session;
import io.pglogs.cli.logs.Retention;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.option.CliContext;
import io.pglogs.cli.option.ConfirmOptions;
import io.pglogs.cli.option.EnvOptions;
import io.pglogs.cli.option.LogGroupOptions;
import io.pglogs.cli.option.OutputOptions;
import io.pglogs.cli.view.RetentionView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "set", description = {
        "Set the retention of the PostgreSQL log groups of an environment's instances and clusters, and of the "
                + "forwarder log groups of both environments; --all for every PostgreSQL group of the region "
                + "(/aws/rds/instance/*/postgresql, /aws/rds/cluster/*/postgresql).",
        "Prints the plan first: each group, its retention before and after, and its stored bytes. Lowering a "
                + "retention (never-expire included) makes CloudWatch delete the older events, so it asks first "
                + "(--yes in scripts); raising one does not. Groups already at the wanted retention are left alone, "
                + "so a second run changes nothing."})
public final class RetentionSetCommand implements Callable<Integer> {
    private final CliContext ctx;

    public RetentionSetCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    AwsOptions aws;

    @Mixin
    OutputOptions output;

    @Mixin
    ConfirmOptions confirm;

    @Option(names = "--days", paramLabel = "DAYS", defaultValue = "" + Retention.DEFAULT_DAYS,
            description = "Retention in days (default: ${DEFAULT-VALUE}); one of the values CloudWatch accepts.")
    int days;

    @Mixin
    EnvOptions env;

    @Option(names = "--all", description = "Every PostgreSQL log group of the region, configured or not.")
    boolean all;

    @Mixin
    LogGroupOptions only;

    @Option(names = "--dry-run", description = "Show the plan; change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        if (!Retention.ACCEPTED.contains(days)) {
            throw new ParameterException(spec.commandLine(), "--days " + days + " is not a retention CloudWatch "
                    + "accepts; use one of: " + Retention.accepted());
        }
        if (all && !only.all().isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--all and --log-group exclude each other");
        }
        Retentions.Scope scope = !only.all().isEmpty() ? Retentions.Scope.NAMED
                : all ? Retentions.Scope.REGION : Retentions.Scope.ENVIRONMENT;
        RetentionView view = new RetentionView(spec.commandLine().getOut(), ctx.style(), ctx.quiet());
        try (Session session = ctx.session(ctx.environment(env.given()), aws.flags())) {
            Retentions.Plan plan = Retentions.of(session).set(new Retentions.SetRequest(days, scope, only.all(),
                    dryRun, confirm.yes()), output.json() ? p -> { } : view::plan, ctx.console(spec),
                    output.json() ? spec.commandLine().getErr() : spec.commandLine().getOut());
            view.result(plan, output.json());
        }
        return ExitCode.OK;
    }
}
