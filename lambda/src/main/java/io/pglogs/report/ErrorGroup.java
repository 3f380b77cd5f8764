package io.pglogs.report;

import java.time.Instant;

/**
 * One normalised error message: the message's first line with its literals folded ({@link ErrorMessages}), so the
 * same error about other rows, names or numbers is one group.
 *
 * @param severity      WARNING, ERROR, FATAL or PANIC
 * @param sqlstateClass its SQLSTATE class, or {@code ""}
 * @param message       the normalised message
 * @param count         errors counted while the group was in the table
 * @param uncounted     Space-Saving's error bound (see {@link StatementGroup#uncounted})
 * @param first         the first one counted
 * @param last          the last one
 * @param sample        one error's message as stored (its first line)
 * @param detail        that error's DETAIL (its companion entry in stderr, the folded field in csvlog/jsonlog), or
 *                      null
 * @param statement     that error's STATEMENT, likewise, or null
 * @param instance      the instance of the sample
 */
public record ErrorGroup(String severity, String sqlstateClass, String message, long count, long uncounted,
                         Instant first, Instant last, String sample, String detail, String statement,
                         String instance) {
}
