package io.pglogs.cli.view;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.cli.status.StatusReport;
import io.pglogs.cli.term.Style;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusTextTest {
    @Test
    void theFunctionLineSaysUntilWhenItsRuntimeIsSupported() {
        assertTrue(functionLine("java21", "2029-06-30", "supported")
                .contains(", java21 (supported until 2029-06-30), 512 MB, "), functionLine("java21", "2029-06-30",
                "supported"));
        assertTrue(functionLine("java17", "2026-06-30", "ending").contains(", java17 (end of life 2026-06-30), "));
        assertTrue(functionLine("java17", "2026-06-30", "ended").contains(", java17 (end of life 2026-06-30), "));
        assertTrue(functionLine("java99", null, null).contains(", java99, 512 MB"), "a runtime the table does not know");
    }

    private static String functionLine(String runtime, String endOfLife, String support) {
        StatusReport report = new StatusReport("devel", "eu-west-1",
                new StatusReport.Table("pglogs-devel", false, null, null, null, null, null, false, false, false, null,
                        null),
                new StatusReport.Function("pglogs-forwarder-devel", true, "Active", runtime, endOfLife, support, 512,
                        "arm64", "2026-12-01", "arn:aws:sqs:eu-west-1:123456789012:q", 0L),
                List.of(), List.of(), List.of(), List.of());
        StringWriter out = new StringWriter();
        new StatusText(new Style(false)).print(report, new PrintWriter(out));
        return out.toString().lines().filter(l -> l.startsWith("function ")).findFirst().orElseThrow();
    }
}
