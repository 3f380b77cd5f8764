package io.pglogs.forwarder.dynamo;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.forwarder.dynamo.ItemContract;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class LogRowTest {
    private static LogRow row(String tempBytes) {
        return LogRow.of(Map.of(ItemContract.SK, AttributeValue.fromS("k"),
                ItemContract.TEMP_BYTES, AttributeValue.fromN(tempBytes)));
    }

    @Test
    void numbersPastALongAreReadNotFailed() {
        assertEquals(42L, row("42").attributes().get(ItemContract.TEMP_BYTES));
        assertEquals(Long.MAX_VALUE, row("9223372036854775807").attributes().get(ItemContract.TEMP_BYTES));
        assertEquals(new BigInteger("99999999999999999999"),
                row("99999999999999999999").attributes().get(ItemContract.TEMP_BYTES));
        assertEquals(new BigInteger("-9223372036854775809"),
                row("-9223372036854775809").attributes().get(ItemContract.TEMP_BYTES));
        assertEquals(new BigDecimal("1.5"), row("1.5").attributes().get(ItemContract.TEMP_BYTES));
        assertEquals("99999999999999999999", row("99999999999999999999").text(ItemContract.TEMP_BYTES));
    }
}
