package io.pglogs.forwarder;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * Runs in the surefire executions meant for Lambda's JVMs: proves the tests beside it really ran on that Java,
 * not on the build's, which is where surefire falls back to when the JVM it was given is empty.
 */
class LambdaJvmTest {
    @Test
    void theseTestsRunOnTheJavaOfTheLambdaRuntime() {
        String expected = System.getProperty("pglogs.expected.java", "");
        assertFalse(expected.isBlank(), "pglogs.expected.java is not set: this test belongs to the on-java21/25 "
                + "executions of lambda/pom.xml");
        assertEquals(Integer.parseInt(expected), Runtime.version().feature(), "running on " + System.getProperty(
                "java.home") + ": set -Dpglogs.java" + expected + " to a Java " + expected + " (scripts/test does, "
                + "from scripts/setup-tools)");
    }
}
