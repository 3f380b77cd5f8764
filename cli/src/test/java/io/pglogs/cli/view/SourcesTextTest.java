package io.pglogs.cli.view;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pglogs.report.NameCount;
import io.pglogs.report.Sources;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sources sentence names rollups, slices and summaries used, only those used, and what was read. */
class SourcesTextTest {
    private static final List<NameCount> EDGE = List.of(new NameCount(Sources.NOT_SUMMARISED, 1_200));

    @Test
    void namesEveryKindOfItemUsed() {
        assertEquals("288 rollups, 14 slices and 52 summaries (2,113,450 entries); 1,200 entries read: not summarised"
                + " 1,200", SourcesText.of(new Sources(52, 288, 14, 2_113_450, 1_200, EDGE)));
        assertEquals("3 rollups and 1 slice (4,000 entries); 1,200 entries read: not summarised 1,200",
                SourcesText.of(new Sources(0, 3, 1, 4_000, 1_200, EDGE)));
        assertEquals("2 slices (1,000 entries); no entry read", SourcesText.of(new Sources(0, 0, 2, 1_000, 0,
                List.of())));
        assertEquals("52 summaries (900 entries); no entry read", SourcesText.of(new Sources(52, 0, 0, 900, 0,
                List.of())));
        assertEquals("no summary; 1,200 entries read: not summarised 1,200", SourcesText.of(new Sources(0, 0, 0, 0,
                1_200, EDGE)));
    }
}
