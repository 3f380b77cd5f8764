package io.pglogs.forwarder.cloudwatch;

import java.util.List;

/**
 * The decoded {@code awslogs.data} document. {@code rejected} lists events that could not be used (a missing id or
 * message) with the reason; the usable ones are in {@code events}.
 */
public record SubscriptionPayload(
        String messageType,
        String owner,
        String logGroup,
        String logStream,
        List<LogEvent> events,
        List<String> rejected,
        boolean invalidUtf8Replaced) {

    public static final String DATA_MESSAGE = "DATA_MESSAGE";
    public static final String CONTROL_MESSAGE = "CONTROL_MESSAGE";

    public boolean isControl() {
        return CONTROL_MESSAGE.equals(messageType);
    }
}
