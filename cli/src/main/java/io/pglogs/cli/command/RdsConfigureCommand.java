package io.pglogs.cli.command;

import io.pglogs.cli.app.RdsLogging;
import io.pglogs.cli.app.Session;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.option.CliContext;
import io.pglogs.cli.option.ConfirmOptions;
import io.pglogs.cli.option.OutputOptions;
import io.pglogs.cli.option.PresetOptions;
import io.pglogs.cli.option.RdsTargetOptions;
import io.pglogs.cli.view.RdsView;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "configure", description = {
        "Set the PostgreSQL logging of an instance or Aurora cluster to a preset and export its log to CloudWatch. "
                + "Also shows its log_timezone beside the one pglogs reads the log with (<env>.log_timezone).",
        "A default parameter group cannot be changed: a custom one (pglogs-<id>-<family>) is created in the same "
                + "family and attached, which takes effect at the next reboot. A custom group already attached is "
                + "changed in place. List-valued parameters (shared_preload_libraries, pgaudit.log) are merged "
                + "with the value in effect, never replaced.",
        "Prints the plan first, saying what applies at once and what waits for a reboot, and asks before attaching "
                + "a group or changing one other instances share (naming them): --yes in scripts. Never applies "
                + "modifications pending for the maintenance window, never reboots."})
public final class RdsConfigureCommand implements Callable<Integer> {
    private final CliContext ctx;

    public RdsConfigureCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    AwsOptions aws;

    @Mixin
    OutputOptions output;

    @Mixin
    RdsTargetOptions target;

    @Mixin
    PresetOptions preset;

    @Option(names = "--dry-run", description = "Show the plan; change nothing.")
    boolean dryRun;

    @Mixin
    ConfirmOptions confirm;

    @Override
    public Integer call() {
        RdsLogging.Target database = target.target();
        Map<String, String> wanted = preset.wanted();
        boolean json = output.json();
        try (Session session = ctx.session(ctx.environment(null), aws.flags())) {
            RdsView view = new RdsView(spec.commandLine().getOut(), ctx.style(), session.env().name());
            RdsLogging.Configured done = RdsLogging.of(session).configure(new RdsLogging.ConfigureRequest(database,
                    preset.preset(), wanted, dryRun, confirm.yes()), ctx.console(spec), json
                    ? spec.commandLine().getErr() : spec.commandLine().getOut(),
                    json ? c -> { } : c -> view.plan(c, preset.preset()));
            view.result(done, json);
        }
        return ExitCode.OK;
    }
}
