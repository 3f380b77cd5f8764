package io.pglogs.forwarder.cloudwatch;

import io.pglogs.forwarder.parse.UnicodeText;
import java.util.ArrayList;
import java.util.List;

/**
 * The decoded {@code awslogs.data} document. {@code rejected} lists events that could not be used (a missing id or
 * message) with the reason; the usable ones are in {@code events}. Its text is valid Unicode: invalid UTF-8 became
 * U+FFFD ({@code invalidUtf8Replaced}), and so did the lone UTF-16 surrogates a JSON escape can carry
 * ({@code loneSurrogatesReplaced} events), which the SDK would send on and DynamoDB refuse.
 */
public record SubscriptionPayload(
        String messageType,
        String owner,
        String logGroup,
        String logStream,
        List<LogEvent> events,
        List<String> rejected,
        boolean invalidUtf8Replaced,
        int loneSurrogatesReplaced) {

    public static final String DATA_MESSAGE = "DATA_MESSAGE";
    public static final String CONTROL_MESSAGE = "CONTROL_MESSAGE";

    public SubscriptionPayload(String messageType, String owner, String logGroup, String logStream,
                               List<LogEvent> events, List<String> rejected, boolean invalidUtf8Replaced) {
        this(messageType, owner, logGroup, logStream, events, rejected, invalidUtf8Replaced, 0);
    }

    /**
     * A data message of events that did not come through the decoder (backfill, import, the local delivery loop),
     * their text made valid Unicode here.
     */
    public static SubscriptionPayload ofEvents(String owner, String logGroup, String logStream, List<LogEvent> events) {
        List<LogEvent> valid = events;
        int repaired = 0;
        for (int i = 0; i < events.size(); i++) {
            LogEvent e = events.get(i);
            LogEvent r = e.repaired();
            if (r != e) {
                if (valid == events) {
                    valid = new ArrayList<>(events);
                }
                valid.set(i, r);
                repaired++;
            }
        }
        return new SubscriptionPayload(DATA_MESSAGE, owner, UnicodeText.repair(logGroup),
                UnicodeText.repair(logStream), valid, List.of(), false, repaired);
    }

    public boolean isControl() {
        return CONTROL_MESSAGE.equals(messageType);
    }
}
