package io.pglogs.cli.error;

/** A precondition the command needs is not met; the message says what and how to fix it. Exit code 3. */
public final class PreconditionException extends RuntimeException {
    public PreconditionException(String message) {
        super(message);
    }
}
