package io.pglogs.report;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeakMinutesTest {
    private static final long T = Instant.parse("2026-05-01T10:00:00Z").toEpochMilli();

    @Test
    void theBusiestMinutesMostFirstHoldingOnlyTheBestSoFar() {
        PeakMinutes peaks = new PeakMinutes(2);
        int[] perMinute = {3, 1, 5, 3, 0, 2};
        for (int m = 0; m < perMinute.length; m++) {
            for (int i = 0; i < perMinute[m]; i++) {
                peaks.add(T + m * 60_000L + i * 1_000L);
            }
        }
        assertEquals(List.of(new Connections.Minute(Instant.ofEpochMilli(T + 120_000), 5),
                new Connections.Minute(Instant.ofEpochMilli(T), 3)), peaks.peaks());
    }

    @Test
    void noneWithoutEvents() {
        assertEquals(List.of(), new PeakMinutes(3).peaks());
    }
}
