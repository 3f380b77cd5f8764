package io.pglogs.cli.failed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pglogs.forwarder.cloudwatch.BadPayloadException;
import io.pglogs.forwarder.cloudwatch.SubscriptionDecoder;
import io.pglogs.forwarder.cloudwatch.SubscriptionPayload;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * One Lambda on-failure record as it sits in the failure queue: {@code requestPayload} is the original event
 * ({@code {"awslogs":{"data":...}}}), {@code requestContext.condition} why Lambda gave up (RetriesExhausted,
 * EventAgeExceeded), {@code responsePayload.errorMessage} the forwarder's last error.
 *
 * @param failedAt when Lambda gave up (the record's timestamp, else when the message was sent)
 * @param event    the original Lambda event, as JSON bytes; null when the record holds none
 */
public record FailedRecord(String messageId, Instant failedAt, String condition, String error, byte[] event) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static FailedRecord of(Message m) {
        Instant sent = null;
        String sentMillis = m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
        if (sentMillis != null) {
            sent = Instant.ofEpochMilli(Long.parseLong(sentMillis));
        }
        JsonNode record;
        try {
            record = JSON.readTree(m.body());
        } catch (IOException e) {
            return new FailedRecord(m.messageId(), sent, null, "not an on-failure record: " + e.getMessage(), null);
        }
        if (record == null || !record.isObject()) {
            return new FailedRecord(m.messageId(), sent, null, "not an on-failure record (not a JSON object)", null);
        }
        Instant at = sent;
        if (record.hasNonNull("timestamp")) {
            try {
                at = Instant.parse(record.get("timestamp").asText());
            } catch (DateTimeParseException e) {
                // keep the time it was sent
            }
        }
        String condition = text(record.at("/requestContext/condition"));
        String error = text(record.at("/responsePayload/errorMessage"));
        if (error == null) {
            error = text(record.at("/responseContext/functionError"));
        }
        JsonNode payload = record.get("requestPayload");
        byte[] event = null;
        if (payload != null && !payload.isNull()) {
            try {
                event = payload.isTextual() ? payload.asText().getBytes(java.nio.charset.StandardCharsets.UTF_8)
                        : JSON.writeValueAsBytes(payload);
            } catch (IOException e) {
                event = null;
            }
        }
        return new FailedRecord(m.messageId(), at, condition, error, event);
    }

    /** The decoded subscription payload, through the forwarder's own decoder. */
    public SubscriptionPayload decode() throws BadPayloadException {
        if (event == null) {
            throw new BadPayloadException("the on-failure record holds no requestPayload");
        }
        try {
            return new SubscriptionDecoder().decodeEvent(new ByteArrayInputStream(event));
        } catch (IOException e) {
            throw new BadPayloadException("requestPayload cannot be read: " + e.getMessage());
        }
    }

    /** The log group the payload came from, or a note on why it cannot be told. */
    public String logGroup() {
        try {
            String group = decode().logGroup();
            return group == null ? "(no log group)" : group;
        } catch (BadPayloadException e) {
            return "(undecodable payload)";
        }
    }

    private static String text(JsonNode n) {
        return n == null || n.isMissingNode() || n.isNull() ? null : n.asText();
    }
}
