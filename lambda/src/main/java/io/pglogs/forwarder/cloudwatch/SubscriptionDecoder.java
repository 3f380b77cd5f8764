package io.pglogs.forwarder.cloudwatch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import io.pglogs.forwarder.parse.UnicodeText;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Turns a Lambda event from a CloudWatch Logs subscription ({@code {"awslogs":{"data":"<base64 of gzip of JSON>"}}})
 * into a {@link SubscriptionPayload}, naming exactly what is wrong when it cannot.
 */
public final class SubscriptionDecoder {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    /**
     * The most a payload may decompress to: 16 MiB. CloudWatch delivers at most one PutLogEvents batch's worth, 1 MiB
     * of event text (10,000 events at most); as JSON, with every byte escaped ({@code \u0000}, six bytes) and each
     * event's id and timestamp, that is under 7 MiB. A gzip stream that unpacks to more is no CloudWatch payload (a
     * 256 KB one can hold hundreds of MB of zeros): it is refused before it can exhaust the function's memory.
     */
    public static final int MAX_DECOMPRESSED_BYTES = 16 * 1024 * 1024;

    /** Reads the Lambda event document and decodes the payload inside it. */
    public SubscriptionPayload decodeEvent(InputStream lambdaEvent) throws BadPayloadException, IOException {
        return decodeData(extractData(lambdaEvent));
    }

    /** Decodes the base64 {@code awslogs.data} value. */
    public SubscriptionPayload decodeData(String data) throws BadPayloadException {
        byte[] gz;
        try {
            gz = Base64.getDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw new BadPayloadException("awslogs.data is not valid base64: " + e.getMessage());
        }
        byte[] json = gunzip(gz);
        try {
            return parsePayload(json, false);
        } catch (CharConversionFailure e) {
            // Rare, so the fast path above reads bytes directly and only this path pays for a replacing decode.
            byte[] repaired = new String(json, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
            return parsePayload(repaired, true);
        }
    }

    private static String extractData(InputStream in) throws BadPayloadException, IOException {
        try (JsonParser p = JSON.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BadPayloadException("Lambda event is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("awslogs".equals(name) && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String inner = p.currentName();
                        JsonToken v = p.nextToken();
                        if ("data".equals(inner) && v == JsonToken.VALUE_STRING) {
                            return p.getText();
                        }
                        p.skipChildren();
                    }
                } else {
                    p.skipChildren();
                }
            }
            throw new BadPayloadException("Lambda event has no awslogs.data string: not a CloudWatch Logs subscription"
                    + " event");
        } catch (JsonParseException e) {
            throw new BadPayloadException("Lambda event is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static byte[] gunzip(byte[] gz) throws BadPayloadException {
        if (gz.length < 2 || (gz[0] & 0xff) != 0x1f || (gz[1] & 0xff) != 0x8b) {
            throw new BadPayloadException("awslogs.data is not gzip (" + gz.length + " bytes without the gzip magic)");
        }
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz), 8192)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(gz.length * 8, MAX_DECOMPRESSED_BYTES));
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + n > MAX_DECOMPRESSED_BYTES) {
                    throw new BadPayloadException("awslogs.data decompresses to more than " + MAX_DECOMPRESSED_BYTES
                            + " bytes (16 MiB, the forwarder's cap; CloudWatch's payloads stay under 7 MiB): refused");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (EOFException e) {
            throw new BadPayloadException("awslogs.data gzip stream is truncated (" + gz.length + " bytes)");
        } catch (ZipException e) {
            throw new BadPayloadException("awslogs.data gzip stream is corrupt: " + e.getMessage());
        } catch (IOException e) {
            throw new BadPayloadException("awslogs.data could not be decompressed: " + e.getMessage());
        }
    }

    private static final class CharConversionFailure extends RuntimeException {
        CharConversionFailure() {
            super(null, null, false, false);
        }
    }

    private static SubscriptionPayload parsePayload(byte[] json, boolean invalidUtf8) throws BadPayloadException {
        String messageType = null;
        String owner = null;
        String logGroup = null;
        String logStream = null;
        List<LogEvent> events = null;
        List<String> rejected = new ArrayList<>();
        // Only a JSON escape can put a lone surrogate into a Java string; most payloads hold none to look for.
        boolean escapes = UnicodeText.mayHoldEscapedSurrogate(json);
        int[] repaired = new int[1];
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BadPayloadException("payload is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "messageType" -> messageType = textOrNull(p, value);
                    case "owner" -> owner = textOrNull(p, value);
                    case "logGroup" -> logGroup = textOrNull(p, value);
                    case "logStream" -> logStream = textOrNull(p, value);
                    case "logEvents" -> {
                        if (value != JsonToken.START_ARRAY) {
                            throw new BadPayloadException("payload logEvents is not an array");
                        }
                        events = readEvents(p, rejected, escapes, repaired);
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new BadPayloadException("payload is not a JSON object");
            }
        } catch (JsonEOFException e) {
            throw new BadPayloadException("payload JSON ends early: " + e.getOriginalMessage());
        } catch (JsonParseException e) {
            if (!invalidUtf8 && e.getOriginalMessage().contains("UTF-8")) {
                throw new CharConversionFailure();
            }
            throw new BadPayloadException("payload is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadPayloadException("payload could not be read: " + e.getMessage());
        }
        if (messageType == null) {
            throw new BadPayloadException("payload has no messageType");
        }
        if (escapes) {
            logGroup = UnicodeText.repair(logGroup);
            logStream = UnicodeText.repair(logStream);
        }
        if (SubscriptionPayload.CONTROL_MESSAGE.equals(messageType)) {
            return new SubscriptionPayload(messageType, owner, logGroup, logStream, List.of(), List.of(),
                    invalidUtf8);
        }
        if (!SubscriptionPayload.DATA_MESSAGE.equals(messageType)) {
            throw new BadPayloadException("payload has unknown messageType " + messageType);
        }
        if (logGroup == null || logGroup.isEmpty()) {
            throw new BadPayloadException("payload has no logGroup");
        }
        if (events == null) {
            throw new BadPayloadException("payload has no logEvents");
        }
        return new SubscriptionPayload(messageType, owner, logGroup, logStream == null ? "" : logStream,
                events, rejected, invalidUtf8, repaired[0]);
    }

    private static List<LogEvent> readEvents(JsonParser p, List<String> rejected, boolean escapes, int[] repaired)
            throws IOException {
        List<LogEvent> events = new ArrayList<>();
        int index = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                rejected.add("event " + index + " is not an object");
                p.skipChildren();
                index++;
                continue;
            }
            String id = null;
            Long timestamp = null;
            String message = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "id" -> id = textOrNull(p, value);
                    case "timestamp" -> timestamp = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
                    case "message" -> message = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    default -> p.skipChildren();
                }
            }
            if (id == null || id.isEmpty()) {
                rejected.add("event " + index + " has no id");
            } else if (message == null) {
                rejected.add("event " + id + " has no message");
            } else if (timestamp == null) {
                rejected.add("event " + id + " has no numeric timestamp");
            } else {
                LogEvent e = new LogEvent(id, timestamp, message);
                LogEvent valid = escapes ? e.repaired() : e;
                repaired[0] += valid != e ? 1 : 0;
                events.add(valid);
            }
            index++;
        }
        return events;
    }

    private static String textOrNull(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NUMBER_INT) {
            return p.getText();
        }
        p.skipChildren();
        return null;
    }
}
