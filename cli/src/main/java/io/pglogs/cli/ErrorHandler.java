package io.pglogs.cli;

import io.pglogs.cli.error.BadSettingException;
import io.pglogs.cli.error.PreconditionException;
import io.pglogs.cli.error.FailureException;
import io.pglogs.cli.error.InterruptedByUserException;
import io.pglogs.cli.command.ExitCode;
import io.pglogs.cli.option.CliContext;

import io.pglogs.cli.term.Printable;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The one place errors become messages and exit codes: one line on stderr ("pglogs: ..."), a stack trace only with
 * --verbose, and the code from {@link ExitCode}.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    private final CliContext ctx;

    ErrorHandler(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("pglogs: " + Printable.line(firstLine(e.getMessage())) + " (see '"
                + cmd.getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        return ExitCode.USAGE;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        int code;
        String message;
        // A precondition found inside an SDK call (missing credentials, say) arrives wrapped in the SDK's exception.
        for (Throwable t = e.getCause(); t != null && e instanceof SdkClientException; t = t.getCause()) {
            if (t instanceof PreconditionException p) {
                e = p;
                break;
            }
        }
        if (e instanceof BadSettingException) {
            code = ExitCode.USAGE;
            message = e.getMessage();
        } else if (e instanceof PreconditionException) {
            code = ExitCode.PRECONDITION;
            message = e.getMessage();
        } else if (e instanceof InterruptedByUserException) {
            code = ExitCode.INTERRUPTED;
            message = e.getMessage();
        } else if (e instanceof FailureException) {
            code = ExitCode.FAILURE;
            message = e.getMessage();
        } else if (e instanceof AwsServiceException ase && ase.awsErrorDetails() != null) {
            code = ExitCode.FAILURE;
            message = ase.awsErrorDetails().serviceName() + ": " + ase.awsErrorDetails().errorCode() + ": "
                    + ase.awsErrorDetails().errorMessage();
        } else if (e instanceof SdkClientException && String.valueOf(e.getMessage())
                .startsWith("Unable to load credentials")) {
            code = ExitCode.PRECONDITION;
            message = "no AWS credentials: pass --profile, set AWS_PROFILE or AWS_ACCESS_KEY_ID and "
                    + "AWS_SECRET_ACCESS_KEY, or configure the default profile (aws configure)";
        } else if (e instanceof SdkClientException) {
            code = ExitCode.FAILURE;
            message = "cannot reach AWS: " + e.getMessage();
        } else if (e instanceof UncheckedIOException u) {
            code = ExitCode.FAILURE;
            message = u.getMessage();
        } else {
            code = ExitCode.FAILURE;
            message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        // Messages carry AWS responses, file names and log content: never raw control characters on the terminal.
        err.println("pglogs: " + (ctx.verbose() ? Printable.text(message) : Printable.line(firstLine(message))));
        if (ctx.verbose()) {
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            err.print(Printable.text(trace.toString()));
        }
        err.flush();
        return code;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
