package io.pglogs.forwarder.cloudwatch;

import io.pglogs.forwarder.parse.UnicodeText;

/** One event of a subscription payload: CloudWatch's id (56 digits), its epoch-millisecond timestamp, the text. */
public record LogEvent(String id, long timestamp, String message) {

    /** This event, or a copy whose id and message hold U+FFFD where they held lone UTF-16 surrogates. */
    public LogEvent repaired() {
        String i = UnicodeText.repair(id);
        String m = UnicodeText.repair(message);
        return i == id && m == message ? this : new LogEvent(i, timestamp, m);
    }
}
