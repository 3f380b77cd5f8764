package io.pglogs.forwarder.cloudwatch;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class LogSourceTest {
    @Test
    void instanceGroupNamesTheInstance() {
        LogSource s = LogSource.of("/aws/rds/instance/orders-db/postgresql", "orders-db.0");
        assertEquals("orders-db", s.instance());
        assertNull(s.cluster());
    }

    @Test
    void clusterGroupTakesTheInstanceFromTheStream() {
        LogSource s = LogSource.of("/aws/rds/cluster/orders/postgresql", "orders-instance-1.0");
        assertEquals("orders-instance-1", s.instance());
        assertEquals("orders", s.cluster());
        assertEquals("orders-instance-1", LogSource.of("/aws/rds/cluster/orders/postgresql", "orders-instance-1")
                .instance());
        assertEquals("orders", LogSource.of("/aws/rds/cluster/orders/postgresql", "").instance());
    }

    @Test
    void otherGroupsFallBackToTheGroupName() {
        assertEquals("/custom/pg", LogSource.of("/custom/pg", "x").instance());
        assertEquals("/aws/rds/instance/a/b/postgresql", LogSource.of("/aws/rds/instance/a/b/postgresql", "x")
                .instance());
        assertEquals("/aws/rds/instance/db/upgrade", LogSource.of("/aws/rds/instance/db/upgrade", "x").instance());
    }

    @Test
    void groupNamesFromIdentifiers() {
        assertEquals("/aws/rds/instance/db1/postgresql", LogSource.instanceLogGroup("db1"));
        assertEquals("/aws/rds/cluster/c1/postgresql", LogSource.clusterLogGroup("c1"));
    }
}
