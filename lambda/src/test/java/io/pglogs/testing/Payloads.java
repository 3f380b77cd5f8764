package io.pglogs.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.pglogs.forwarder.cloudwatch.LogEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Builds CloudWatch Logs subscription events the way CloudWatch sends them to Lambda. */
public final class Payloads {
    private static final JsonFactory JSON = new JsonFactory();

    private Payloads() {
    }

    /** The decompressed payload document. */
    public static String dataJson(String logGroup, String logStream, List<LogEvent> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("messageType", "DATA_MESSAGE");
            g.writeStringField("owner", "123456789012");
            g.writeStringField("logGroup", logGroup);
            g.writeStringField("logStream", logStream);
            g.writeArrayFieldStart("subscriptionFilters");
            g.writeString("pglogs");
            g.writeEndArray();
            g.writeArrayFieldStart("logEvents");
            for (LogEvent e : events) {
                g.writeStartObject();
                g.writeStringField("id", e.id());
                g.writeNumberField("timestamp", e.timestamp());
                g.writeStringField("message", e.message());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** {"awslogs":{"data":"<base64 of gzip of json>"}} around any bytes, valid or not. */
    public static String lambdaEvent(byte[] payloadBytes) {
        return "{\"awslogs\":{\"data\":\"" + Base64.getEncoder().encodeToString(gzip(payloadBytes)) + "\"}}";
    }

    public static String lambdaEvent(String logGroup, String logStream, List<LogEvent> events) {
        return lambdaEvent(dataJson(logGroup, logStream, events).getBytes(StandardCharsets.UTF_8));
    }

    /** CloudWatch batches a stream's events; this splits them into payloads of at most {@code size} events. */
    public static List<String> lambdaEvents(String logGroup, String logStream, List<LogEvent> events, int size) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < events.size(); i += size) {
            out.add(lambdaEvent(logGroup, logStream, events.subList(i, Math.min(events.size(), i + size))));
        }
        return out;
    }

    public static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
