package io.pglogs.forwarder.dynamo;

/**
 * Some items could not be written in the time there was. The invocation must fail so that Lambda delivers the payload
 * again; the keys are deterministic, so what was written is overwritten, not duplicated.
 */
public final class WriteIncompleteException extends Exception {
    private final int unwritten;

    public WriteIncompleteException(String message, int unwritten, Throwable cause) {
        super(message, cause, false, false);
        this.unwritten = unwritten;
    }

    public int unwritten() {
        return unwritten;
    }
}
