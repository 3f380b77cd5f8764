package io.pglogs.cli.app;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class UnknownInstanceTest {
    @Test
    void theClosestKnownNamesComeFirst() {
        assertEquals(0, UnknownInstance.distance("orders-db", "orders-db"));
        assertEquals(1, UnknownInstance.distance("order-db", "orders-db"));
        assertEquals(2, UnknownInstance.distance("ordres-db", "orders-db"), "a swap is two edits");
        assertEquals(9, UnknownInstance.distance("", "orders-db"));
        assertEquals(List.of("orders-db", "orders-db-2", "billing-db"), UnknownInstance.of("order-db",
                List.of("billing-db", "reporting", "orders-db-2", "orders-db")).closest());
        assertEquals(List.of(), UnknownInstance.of("x", List.of()).closest());
    }
}
