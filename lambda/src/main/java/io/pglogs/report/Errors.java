package io.pglogs.report;

import java.util.List;

/**
 * Entries of severity WARNING, ERROR, FATAL and PANIC (as pgBadger counts them), whatever their kind (a deadlock, a cancel or a refused connection is an
 * error too, and is also counted in its own section).
 *
 * @param count     errors
 * @param bySeverity errors per severity, most first
 * @param byClass   errors per SQLSTATE class, most first (name {@code ""}: no class known)
 * @param byMessage the top messages by count
 * @param folded    what the bounded table folded
 * @param hourly    errors per hour
 */
public record Errors(long count, List<NameCount> bySeverity, List<SqlStateClassCount> byClass,
                     List<ErrorGroup> byMessage, Folded folded, Hourly hourly) {
    /**
     * @param sqlstateClass the two characters, or {@code ""} when neither the log nor the message says
     * @param description   PostgreSQL's name of the class (Appendix A), or {@code ""}
     */
    public record SqlStateClassCount(String sqlstateClass, String description, long count) {
    }

    public boolean isEmpty() {
        return count == 0;
    }
}
