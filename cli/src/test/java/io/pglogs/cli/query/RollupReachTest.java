package io.pglogs.cli.query;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Review 26c, M2: a summary used whole or an entry range that holds times of a span counted from its rollup would count
 * that span's entries twice (an older pglogs wrote summaries of a whole UTC hour, across spans): the reader then reads
 * the span from its summaries instead. Summaries of this pglogs never cross a span, so they never reach one.
 */
class RollupReachTest {
    private static final RollupPlan.Rollup SPAN_10_10 = new RollupPlan.Rollup("2026-05-01T10:10:00.000Z",
            "2026-05-01T10:10:01.000Z", "2026-05-01T10:19:58.000Z", 100, Long.MAX_VALUE, false, new byte[1]);

    private static SummaryPlan.Summary summary(String ts, String lastTs) {
        return new SummaryPlan.Summary("db", "g/s", ts, "1", lastTs, "2", 10, Long.MAX_VALUE, new byte[1]);
    }

    private static SummaryPlan.Plan used(SummaryPlan.Summary... s) {
        return new SummaryPlan.Plan(List.of(s), List.of());
    }

    @Test
    void summariesOfOtherSpansDoNotReachIt() {
        assertFalse(ReportReader.reachedBy(used(summary("2026-05-01T10:00:00.000Z", "2026-05-01T10:09:59.999Z"),
                summary("2026-05-01T10:20:00.000Z", "2026-05-01T10:29:00.000Z")), SPAN_10_10));
    }

    @Test
    void anHourSummaryAcrossItReachesIt() {
        assertTrue(ReportReader.reachedBy(used(summary("2026-05-01T10:05:00.000Z", "2026-05-01T10:10:00.000Z")),
                SPAN_10_10));
        assertTrue(ReportReader.reachedBy(used(summary("2026-05-01T10:19:59.999Z", "2026-05-01T10:40:00.000Z")),
                SPAN_10_10));
    }

    @Test
    void anEntryRangeIntoItReachesIt() {
        SummaryPlan.Range before = new SummaryPlan.Range("db", "2026-05-01T10:03:00.000Z", "2026-05-01T10:09:59.999Z",
                "window edge", List.of());
        SummaryPlan.Range into = new SummaryPlan.Range("db", "2026-05-01T10:03:00.000Z", "2026-05-01T10:12:00.000Z",
                "window edge", List.of());
        assertFalse(ReportReader.reachedBy(new SummaryPlan.Plan(List.of(), List.of(before)), SPAN_10_10));
        assertTrue(ReportReader.reachedBy(new SummaryPlan.Plan(List.of(), List.of(into)), SPAN_10_10));
    }
}
