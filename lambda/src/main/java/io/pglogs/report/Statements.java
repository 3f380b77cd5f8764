package io.pglogs.report;

import java.util.List;

/**
 * Statements, counted as pgBadger counts queries: an entry with a duration ({@code statement_duration}), a statement
 * logged without one ({@code statement_log}: log_statement) and an auto_explain plan are each a run; the parse and bind
 * steps of the extended protocol are counted apart (their execute step is the run).
 *
 * @param count        runs
 * @param totalMs      their total time
 * @param logged       of the runs, statements logged without a duration (log_statement)
 * @param autoExplain  of the runs, auto_explain plans
 * @param withoutText  of the runs, durations logged without their statement (log_duration after log_statement): in
 *                     the totals, in no group
 * @param parseBind    parse and bind steps with a duration, not runs
 * @param parseBindMs  their total time
 * @param byTotal      the top groups by total time
 * @param bySlowest    the top groups by their slowest single run
 * @param byCount      the top groups by count
 * @param folded       what the bounded table folded
 * @param hourly       runs per hour
 */
public record Statements(long count, double totalMs, long logged, long autoExplain, long withoutText, long parseBind,
                         double parseBindMs, List<StatementGroup> byTotal, List<StatementGroup> bySlowest,
                         List<StatementGroup> byCount, Folded folded, Hourly hourly) {
    public boolean isEmpty() {
        return count == 0 && parseBind == 0;
    }
}
