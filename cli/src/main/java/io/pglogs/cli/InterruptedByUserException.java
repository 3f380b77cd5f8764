package io.pglogs.cli;

/** The user pressed Ctrl-C; whatever ran has been stopped cleanly. Exit code 130. */
public final class InterruptedByUserException extends RuntimeException {
    public InterruptedByUserException(String message) {
        super(message);
    }
}
