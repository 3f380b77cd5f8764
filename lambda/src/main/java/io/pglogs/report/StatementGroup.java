package io.pglogs.report;

import java.time.Instant;
import java.util.List;

/**
 * The runs of one normalised statement (one fingerprint, docs/schema.md "Statement fingerprints").
 *
 * @param fingerprint the fingerprint (16 hex digits)
 * @param text        the normalised statement (literals folded), as the fingerprint hashes it
 * @param count       runs counted while the group was in the table (see {@link Statements})
 * @param uncounted   at most this many earlier runs were folded before it took its place (Space-Saving's error
 *                    bound, in the by-count table; 0 when it was never folded)
 * @param partial     whether the group joined its table after the table had folded others, so that count, timed,
 *                    total, mean and quantiles may miss its earlier runs (they are then lower bounds): in the
 *                    by-count table at most {@code uncounted} runs, in the by-total table at most
 *                    {@code uncountedMs}; in the by-slowest table {@code maxMs} is exact whatever this says
 * @param uncountedMs in the by-total table, at most this much earlier time was folded before it took its place
 * @param timed       of the runs, those with a duration: the mean and quantiles are theirs
 * @param totalMs     the counted runs' total time
 * @param meanMs      total over timed (0 when none)
 * @param p50Ms       the median timed run (from a sketch: within 1 % of the true value)
 * @param p95Ms       the 95th percentile (the same)
 * @param maxMs       the slowest run, exactly
 * @param users       the users that ran it, by name, at most {@link ReportBuilder#NAMES}
 * @param databases   the databases it ran in, likewise
 * @param sample      the slowest run's statement as stored (redacted as the table redacts), or the first one's
 * @param sampleAt    when the sample was logged
 * @param instance    the sample's instance
 */
public record StatementGroup(String fingerprint, String text, long count, long uncounted, boolean partial,
                             double uncountedMs, long timed,
                             double totalMs, double meanMs, double p50Ms, double p95Ms, double maxMs,
                             List<String> users, List<String> databases, String sample, Instant sampleAt,
                             String instance) {
}
