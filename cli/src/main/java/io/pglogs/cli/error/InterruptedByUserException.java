package io.pglogs.cli.error;

/** Ctrl-C (or SIGTERM, SIGHUP) stopped a Terraform run; whatever ran has been stopped cleanly. Exit code 130. */
public final class InterruptedByUserException extends RuntimeException {
    public InterruptedByUserException(String message) {
        super(message);
    }
}
