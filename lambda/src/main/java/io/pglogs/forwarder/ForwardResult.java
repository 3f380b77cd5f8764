package io.pglogs.forwarder;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * What one invocation did, printed as one JSON line by the handler and the local runner. {@code written} counts the
 * entries stored, {@code summaries} the summary items
 * written with them (issue 26), {@code reduced} of them in reduced form because DynamoDB refused their full item;
 * {@code bumped} the span rollups marked stale after them, {@code rolled} the rollups written (issue 26 part 2).
 */
public record ForwardResult(
        String messageType,
        String logGroup,
        String instance,
        int events,
        int written,
        int summaries,
        int duplicateKeys,
        int rejected,
        int unknown,
        int redacted,
        int truncated,
        int reduced,
        int retries,
        boolean invalidUtf8Replaced,
        int loneSurrogatesReplaced,
        long millis,
        int bumped,
        int rolled) {

    /** Log group names and errors may carry anything: what could drive a terminal is escaped. */
    private static final JsonFactory JSON = new JsonFactory().setCharacterEscapes(TerminalSafeEscapes.INSTANCE);

    public String toJson() {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("status", "ok");
            g.writeStringField("messageType", messageType);
            if (logGroup != null) {
                g.writeStringField("logGroup", logGroup);
            }
            if (instance != null) {
                g.writeStringField("instance", instance);
            }
            g.writeNumberField("events", events);
            g.writeNumberField("written", written);
            g.writeNumberField("duplicateKeys", duplicateKeys);
            g.writeNumberField("rejected", rejected);
            g.writeNumberField("unknown", unknown);
            g.writeNumberField("redacted", redacted);
            g.writeNumberField("truncated", truncated);
            g.writeNumberField("reduced", reduced);
            g.writeNumberField("retries", retries);
            g.writeBooleanField("invalidUtf8Replaced", invalidUtf8Replaced);
            g.writeNumberField("loneSurrogatesReplaced", loneSurrogatesReplaced);
            g.writeNumberField("summaries", summaries);
            g.writeNumberField("bumped", bumped);
            g.writeNumberField("rolled", rolled);
            g.writeNumberField("millis", millis);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    static String failureJson(String error) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("status", "failed");
            g.writeStringField("error", error);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
