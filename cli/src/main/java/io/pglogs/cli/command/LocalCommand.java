package io.pglogs.cli.command;

import io.pglogs.cli.CliContext;
import io.pglogs.cli.ExitCode;
import io.pglogs.cli.local.LocalPipeline;
import io.pglogs.cli.term.Json;
import io.pglogs.cli.term.Style;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "local", description = {
        "The whole pipeline on this machine, no AWS account needed: moto as AWS, a real PostgreSQL 15 logging with "
                + "the RDS prefix, and a delivery loop standing in for the subscription.",
        "Other commands use it with --local."},
        subcommands = {LocalCommand.Up.class, LocalCommand.Down.class, LocalCommand.Status.class})
public final class LocalCommand extends GroupCommand {
    static void print(LocalPipeline.Status s, Style style, PrintWriter out) {
        out.println(String.format("%-22s %s", "AWS emulator (moto)", s.moto() ? style.ok(s.endpoint()) : style.error(
                "not running")));
        out.println(String.format("%-22s %s", "PostgreSQL 15", s.postgres() ? style.ok(s.postgresUrl())
                : style.error("not running")));
        out.println(String.format("%-22s %s", "delivery loop", s.delivery() ? style.ok("running") + ", "
                + s.delivered() + " entries delivered" + (s.lastDelivery() == null ? "" : ", last at "
                + s.lastDelivery()) : style.error("not running")));
    }

    @Command(name = "up", description = "Start the local pipeline (or say it runs). Prints PostgreSQL's URL and the "
            + "emulator's endpoint.")
    static final class Up implements Callable<Integer> {
        private final CliContext ctx;

        Up(CliContext ctx) {
            this.ctx = ctx;
        }

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            LocalPipeline.Status s = new LocalPipeline(ctx, out, spec.commandLine().getErr()).up();
            Style style = new Style(ctx.color());
            print(s, style, out);
            if (!ctx.quiet()) {
                out.println();
                out.println("Make some log entries:   psql " + s.postgresUrl() + " -c 'SELECT 1/0'");
                out.println("Read them back:          bin/pglogs query --local --since 10m");
                out.println("Follow them:             bin/pglogs tail --local -f");
                out.println("Stop everything:         bin/pglogs local down");
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "down", description = "Stop the local pipeline and remove its data; leaves no process behind.")
    static final class Down implements Callable<Integer> {
        private final CliContext ctx;

        Down(CliContext ctx) {
            this.ctx = ctx;
        }

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            new LocalPipeline(ctx, spec.commandLine().getOut(), spec.commandLine().getErr()).down();
            if (!ctx.quiet()) {
                spec.commandLine().getOut().println("local pipeline stopped");
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "status", description = "Show whether the local pipeline runs; exits 0 when all of it does, 1 "
            + "otherwise.")
    static final class Status implements Callable<Integer> {
        private final CliContext ctx;

        Status(CliContext ctx) {
            this.ctx = ctx;
        }

        @Spec
        CommandSpec spec;

        @Mixin
        io.pglogs.cli.option.OutputOptions output;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            LocalPipeline.Status s = new LocalPipeline(ctx, out, spec.commandLine().getErr()).status();
            if (output.json()) {
                out.println(Json.pretty(s));
            } else {
                print(s, new Style(ctx.color()), out);
            }
            return s.running() ? ExitCode.OK : ExitCode.FAILURE;
        }
    }
}
