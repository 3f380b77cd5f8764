package io.pglogs.forwarder.cloudwatch;

/** One event of a subscription payload: CloudWatch's id (56 digits), its epoch-millisecond timestamp, the text. */
public record LogEvent(String id, long timestamp, String message) {
}
