package io.pglogs.forwarder.cloudwatch;

/**
 * The invocation's input cannot be used. The message says what was wrong in one line; no stack trace is kept because
 * the cause is the input, not the code, and Lambda's logs should stay readable.
 */
public final class BadPayloadException extends Exception {
    public BadPayloadException(String message) {
        super(message, null, false, false);
    }
}
