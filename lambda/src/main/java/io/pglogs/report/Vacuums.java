package io.pglogs.report;

import java.util.List;

/**
 * Automatic vacuum and analyze (log_autovacuum_min_duration), per table.
 *
 * @param vacuums  autovacuum entries
 * @param analyzes autoanalyze entries
 * @param tables   per table, most runs first, at most {@code --top}
 * @param folded   what the bounded table of relations folded
 * @param hourly   runs of either per hour
 */
public record Vacuums(long vacuums, long analyzes, List<Table> tables, Folded folded, Hourly hourly) {
    /**
     * One table: the numbers PostgreSQL reports in its autovacuum message, summed over the runs (0 when a run's
     * message did not hold them).
     *
     * @param relation      {@code database.schema.table}, as logged
     * @param pagesRemoved  {@code pages: N removed}
     * @param tuplesRemoved {@code tuples: N removed}
     * @param elapsedS      {@code elapsed: X s} of every run, vacuum and analyze
     * @param maxElapsedS   the longest run
     */
    public record Table(String relation, long vacuums, long analyzes, long pagesRemoved, long tuplesRemoved,
                        double elapsedS, double maxElapsedS) {
    }

    public boolean isEmpty() {
        return vacuums == 0 && analyzes == 0;
    }
}
