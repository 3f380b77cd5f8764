package io.pglogs.forwarder.cloudwatch;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.testing.Payloads;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubscriptionDecoderTest {
    private final SubscriptionDecoder decoder = new SubscriptionDecoder();

    @Test
    void decodesADataMessage() throws Exception {
        SubscriptionPayload p = decode(Payloads.lambdaEvent("/aws/rds/instance/db1/postgresql", "db1.0",
                List.of(new LogEvent("1", 1000, "a"), new LogEvent("2", 2000, "b"))));
        assertEquals("DATA_MESSAGE", p.messageType());
        assertEquals("/aws/rds/instance/db1/postgresql", p.logGroup());
        assertEquals("db1.0", p.logStream());
        assertEquals(List.of(new LogEvent("1", 1000, "a"), new LogEvent("2", 2000, "b")), p.events());
        assertEquals(List.of(), p.rejected());
    }

    @Test
    void controlMessageIsRecognised() throws Exception {
        SubscriptionPayload p = decode(Payloads.lambdaEvent(("{\"messageType\":\"CONTROL_MESSAGE\",\"owner\":"
                + "\"CloudwatchLogs\",\"logGroup\":\"\",\"logStream\":\"\",\"subscriptionFilters\":[],\"logEvents\":"
                + "[{\"id\":\"\",\"timestamp\":1,\"message\":\"CWL CONTROL MESSAGE: Checking health of destination\"}]}")
                .getBytes(StandardCharsets.UTF_8)));
        assertTrue(p.isControl());
        assertEquals(List.of(), p.events());
    }

    @Test
    void eachKindOfBadInputIsNamed() {
        String valid = Payloads.lambdaEvent("/g", "s", List.of(new LogEvent("1", 1, "m")));
        byte[] gz = Base64.getDecoder().decode(valid.substring(20, valid.length() - 3));
        assertRejected("{\"awslogs\":{\"data\":\"***\"}}", "not valid base64");
        assertRejected("{\"awslogs\":{\"data\":\"" + Base64.getEncoder().encodeToString("plain".getBytes()) + "\"}}",
                "not gzip");
        assertRejected("{\"awslogs\":{\"data\":\"" + Base64.getEncoder().encodeToString(
                Arrays.copyOf(gz, gz.length - 12)) + "\"}}", "truncated");
        assertRejected(Payloads.lambdaEvent("{\"messageType\": ".getBytes()), "JSON ends early");
        assertRejected(Payloads.lambdaEvent("[1,2]".getBytes()), "not a JSON object");
        assertRejected(Payloads.lambdaEvent("{\"logGroup\":\"/g\",\"logEvents\":[]}".getBytes()), "no messageType");
        assertRejected(Payloads.lambdaEvent("{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[]}".getBytes()),
                "no logGroup");
        assertRejected(Payloads.lambdaEvent("{\"messageType\":\"DATA_MESSAGE\",\"logGroup\":\"/g\"}".getBytes()),
                "no logEvents");
        assertRejected("not json", "Lambda event is not valid JSON");
        assertRejected("{\"Records\":[]}", "no awslogs.data");
    }

    @Test
    void badEventsAreRejectedOneByOneAndTheRestKept() throws Exception {
        SubscriptionPayload p = decode(Payloads.lambdaEvent(("{\"messageType\":\"DATA_MESSAGE\",\"logGroup\":\"/g\","
                + "\"logStream\":\"s\",\"logEvents\":[{\"id\":\"1\",\"timestamp\":5,\"message\":\"ok\"},"
                + "{\"timestamp\":5,\"message\":\"no id\"},{\"id\":\"3\",\"timestamp\":5},"
                + "{\"id\":\"4\",\"timestamp\":\"x\",\"message\":\"m\"},7,"
                + "{\"id\":\"6\",\"timestamp\":6,\"message\":\"also ok\"}]}").getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("1", "6"), p.events().stream().map(LogEvent::id).toList());
        assertEquals(List.of("event 1 has no id", "event 3 has no message", "event 4 has no numeric timestamp",
                "event 4 is not an object"), p.rejected());
    }

    @Test
    void invalidUtf8IsReplacedNotFatal() throws Exception {
        byte[] json = ("{\"messageType\":\"DATA_MESSAGE\",\"logGroup\":\"/g\",\"logStream\":\"s\",\"logEvents\":"
                + "[{\"id\":\"1\",\"timestamp\":5,\"message\":\"caf\u00e9 XX\"}]}").getBytes(StandardCharsets.UTF_8);
        int at = new String(json, StandardCharsets.ISO_8859_1).indexOf("XX");
        json[at] = (byte) 0xC3; // a lead byte followed by an ASCII byte: invalid
        SubscriptionPayload p = decode(Payloads.lambdaEvent(json));
        assertTrue(p.invalidUtf8Replaced());
        assertEquals("caf\u00e9 \uFFFDX", p.events().get(0).message());
    }

    @Test
    void escapedLoneSurrogatesBecomeTheReplacementCharacterPairsStay() throws Exception {
        byte[] json = ("{\"messageType\":\"DATA_MESSAGE\",\"logGroup\":\"/g\",\"logStream\":\"s\",\"logEvents\":"
                + "[{\"id\":\"1\",\"timestamp\":5,\"message\":\"a\\ud800b\"},"
                + "{\"id\":\"2\",\"timestamp\":5,\"message\":\"pair \\ud83d\\ude00 and \\uDC00\"},"
                + "{\"id\":\"3\",\"timestamp\":5,\"message\":\"\\\\ud800 is text\"}]}").getBytes(StandardCharsets.UTF_8);
        SubscriptionPayload p = decode(Payloads.lambdaEvent(json));
        assertEquals(List.of("a\uFFFDb", "pair \ud83d\ude00 and \uFFFD", "\\ud800 is text"),
                p.events().stream().map(LogEvent::message).toList());
        assertEquals(2, p.loneSurrogatesReplaced());
        assertFalse(p.invalidUtf8Replaced());
    }

    @Test
    void eventsFromElsewhereAreMadeValidToo() {
        LogEvent valid = new LogEvent("1", 5, "fine \ud83d\ude00");
        SubscriptionPayload p = SubscriptionPayload.ofEvents(null, "/g", "s",
                List.of(valid, new LogEvent("2\udc00", 5, "x\ud800")));
        assertSame(valid, p.events().get(0));
        assertEquals(new LogEvent("2\uFFFD", 5, "x\uFFFD"), p.events().get(1));
        assertEquals(1, p.loneSurrogatesReplaced());
    }

    /** A gzip bomb: 256 KB of base64 that would unpack to hundreds of MB is refused at the cap, in one line. */
    @Test
    void aPayloadThatDecompressesPastTheCapIsRefused() throws Exception {
        byte[] zeros = new byte[SubscriptionDecoder.MAX_DECOMPRESSED_BYTES + 1];
        String bomb = Payloads.lambdaEvent(zeros);
        assertTrue(bomb.length() < 256 * 1024, "compressed: " + bomb.length());
        assertRejected(bomb, "decompresses to more than 16777216 bytes (16 MiB, the forwarder's cap");
        // A payload of 1 MiB of event text, every byte a control character escaped in six: well below it.
        List<LogEvent> events = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            events.add(new LogEvent(Integer.toString(i), i, "\u0001".repeat(1048)));
        }
        assertEquals(1000, decode(Payloads.lambdaEvent("/g", "s", events)).events().size());
    }

    @Test
    void emptyBatchDecodes() throws Exception {
        SubscriptionPayload p = decode(Payloads.lambdaEvent("/g", "s", List.of()));
        assertEquals(List.of(), p.events());
    }

    private SubscriptionPayload decode(String lambdaEvent) throws Exception {
        return decoder.decodeEvent(new ByteArrayInputStream(lambdaEvent.getBytes(StandardCharsets.UTF_8)));
    }

    private void assertRejected(String lambdaEvent, String expected) {
        BadPayloadException e = assertThrows(BadPayloadException.class, () -> decode(lambdaEvent), lambdaEvent);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertEquals(0, e.getStackTrace().length);
    }
}
