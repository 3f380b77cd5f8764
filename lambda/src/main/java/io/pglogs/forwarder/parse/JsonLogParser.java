package io.pglogs.forwarder.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Reads one record of PostgreSQL 15's jsonlog ({@code log_destination = 'jsonlog'}): a JSON object per line whose
 * {@code timestamp} is written in {@code log_timezone}, like the stderr prefix's. The companion fields (detail, hint,
 * internal_query, context, statement) are folded into the message as csvlog's are.
 */
final class JsonLogParser {
    private static final JsonFactory JSON = JsonFactory.builder().build();
    static final String START = "{\"timestamp\":\"";

    private JsonLogParser() {
    }

    /** The entry, or null when {@code line} from {@code p} is not a jsonlog record. */
    static LogEntry parse(String line, int p, LogTimeZone zones) {
        String timestamp = null;
        String user = null;
        String database = null;
        Integer pid = null;
        String host = null;
        String port = null;
        String sessionId = null;
        String severity = null;
        String sqlstate = null;
        String message = null;
        String detail = null;
        String hint = null;
        String query = null;
        String context = null;
        String statement = null;
        String application = null;
        try (JsonParser json = JSON.createParser(line.substring(p))) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                JsonToken value = json.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    json.skipChildren();
                    continue;
                }
                String text = value == JsonToken.VALUE_NULL ? null : json.getText();
                switch (name) {
                    case "timestamp" -> timestamp = text;
                    case "user" -> user = text;
                    case "dbname" -> database = text;
                    case "pid" -> pid = value == JsonToken.VALUE_NUMBER_INT ? json.getIntValue() : null;
                    case "remote_host" -> host = text;
                    case "remote_port" -> port = text;
                    case "session_id" -> sessionId = text;
                    case "error_severity" -> severity = text;
                    case "state_code" -> sqlstate = text;
                    case "message" -> message = text;
                    case "detail" -> detail = text;
                    case "hint" -> hint = text;
                    case "internal_query" -> query = text;
                    case "context" -> context = text;
                    case "statement" -> statement = text;
                    case "application_name" -> application = text;
                    default -> {
                    }
                }
            }
            if (json.currentToken() != JsonToken.END_OBJECT || json.nextToken() != null) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        if (timestamp == null || severity == null || !Severity.isKnown(severity)) {
            return null;
        }
        PrefixTimestamp ts = PrefixTimestamp.parse(timestamp + ",", 0, ',', zones);
        if (ts == null) {
            return null;
        }
        StringBuilder full = new StringBuilder(message == null ? "" : message);
        appendCompanion(full, "DETAIL", detail);
        appendCompanion(full, "HINT", hint);
        appendCompanion(full, "QUERY", query);
        appendCompanion(full, "CONTEXT", context);
        appendCompanion(full, "STATEMENT", statement);
        // jsonlog leaves out a zero SQLSTATE; csvlog and the %e prefix write it as 00000.
        sqlstate = sqlstate == null ? "00000" : sqlstate;
        String client = host == null || host.isEmpty() ? null : port == null ? host : host + "(" + port + ")";
        return new LogEntry(ts.zoneKnown ? ts.instant : null, ts.hasMillis, client, emptyToNull(user),
                emptyToNull(database), pid, severity, full.toString(), emptyToNull(sqlstate), emptyToNull(sessionId),
                emptyToNull(application));
    }

    static void appendCompanion(StringBuilder message, String word, String value) {
        if (value != null && !value.isEmpty()) {
            message.append('\n').append(word).append(":  ").append(value);
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
