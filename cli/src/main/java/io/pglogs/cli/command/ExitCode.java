package io.pglogs.cli.command;

/** The exit codes pglogs documents (docs/cli.md). */
public final class ExitCode {
    private ExitCode() {
    }

    public static final int OK = 0;
    /** The command ran and failed: an AWS error, a failed Terraform step, problems found by status. */
    public static final int FAILURE = 1;
    /** The command line or a setting was wrong: unknown option, bad value, unknown environment. */
    public static final int USAGE = 2;
    /** Something the command needs is missing: a binary, the forwarder jar, a confirmation. */
    public static final int PRECONDITION = 3;
    /** Interrupted (Ctrl-C, or SIGTERM or SIGHUP while Terraform runs), after the child finished cleaning up. */
    public static final int INTERRUPTED = 130;
}
