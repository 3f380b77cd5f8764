package io.pglogs.cli.term;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pglogs.forwarder.TerminalSafeEscapes;

/**
/**
 * --output json: indented, records as objects, field names in snake_case like the item contract's attribute names
 * that query writes (docs/cli.md "Output"), so every JSON pglogs prints follows one convention. Text from logs and AWS
 * may hold characters that drive a terminal; JSON escapes only the C0 controls, so these also escape DEL, the C1
 * controls and the bidirectional overrides (see {@link TerminalSafeEscapes}).
 */
public final class Json {
    private static final ObjectMapper MAPPER = terminalSafe(new ObjectMapper())
            .enable(SerializationFeature.INDENT_OUTPUT).setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private Json() {
    }

    /** {@code mapper}, writing every character that could drive a terminal as an escape. */
    public static ObjectMapper terminalSafe(ObjectMapper mapper) {
        mapper.getFactory().setCharacterEscapes(TerminalSafeEscapes.INSTANCE);
        return mapper;
    }

    public static String pretty(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }
}
