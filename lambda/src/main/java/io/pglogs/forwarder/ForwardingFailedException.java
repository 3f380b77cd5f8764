package io.pglogs.forwarder;

/**
 * Fails the invocation so that Lambda retries it and, after its retries, hands the payload to the on-failure
 * destination. One line of message, no stack trace: the reason is in the message.
 */
public final class ForwardingFailedException extends RuntimeException {
    public ForwardingFailedException(String message) {
        super(message, null, false, false);
    }
}
