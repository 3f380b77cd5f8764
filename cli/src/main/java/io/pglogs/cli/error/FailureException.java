package io.pglogs.cli.error;

/** The command ran and failed for a reason its message states in full. Exit code 1. */
public final class FailureException extends RuntimeException {
    public FailureException(String message) {
        super(message);
    }
}
