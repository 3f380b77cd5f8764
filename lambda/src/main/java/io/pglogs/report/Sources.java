package io.pglogs.report;

import java.util.List;

/**
 * Where a report's numbers came from (docs/report.md "Sources"): rollups, slices and summaries written beside the
 * entries, and entries read where they could not serve, with why.
 *
 * @param summaries  summary items used whole
 * @param rollups    rollup items used (each the merge of one instance's summaries, or entries, of a ten-minute span)
 * @param slices     slice items used (each the count of one instance's entries of part of a span, made from entries)
 * @param summarised the entries those summaries, rollups and slices counted
 * @param read       entries read one by one
 * @param reasons    the entries read, per reason ({@link #NOT_SUMMARISED}, {@link #WINDOW_EDGE}, {@link #CONFLICT},
 *                   {@link #EXPIRING}, {@link #UNREADABLE}, {@link #FILTERED}, {@link #TOP_ABOVE_SUMMARY_EVENTS},
 *                   {@link #NO_SUMMARIES}), most first
 */
public record Sources(long summaries, long rollups, long slices, long summarised, long read,
                      List<NameCount> reasons) {
    /** The instance-day has no summaries (written before them, or by a forwarder without them since). */
    public static final String NOT_SUMMARISED = "not summarised";
    /** A summary holding entries on both sides of the window's start or end. */
    public static final String WINDOW_EDGE = "window edge";
    /** Summaries of one log stream whose events overlap: the same events batched twice (a backfill over live data). */
    public static final String CONFLICT = "conflict";
    /** A summary some of whose entries are past their expiry: they are hidden from every reader. */
    public static final String EXPIRING = "expiring";
    /**
     * A summary this pglogs cannot decode (written by a newer forwarder in a layout it does not know, or damaged): its
     * entries are read instead, so an older CLI still reports.
     */
    public static final String UNREADABLE = "unreadable summary";
    /** Filters (severity, user, database, ...) select entries one by one: summaries cannot. */
    public static final String FILTERED = "filtered";
    /**
     * {@code --top} above {@link ReportBuilder#SUMMARY_EVENTS}: a summary keeps that many of each event list, so a
     * longer list is told from entries only.
     */
    public static final String TOP_ABOVE_SUMMARY_EVENTS = "top above " + ReportBuilder.SUMMARY_EVENTS;
    /** {@code --no-summaries}: entries only, the way a report was made before summaries. */
    public static final String NO_SUMMARIES = "no summaries asked";

    /** A report made from entries only. */
    public static Sources entriesOnly(long read, String reason) {
        return new Sources(0, 0, 0, 0, read, read == 0 ? List.of() : List.of(new NameCount(reason, read)));
    }

    /** Entries per reason, most first, then by name. */
    public static List<NameCount> reasons(java.util.Map<String, long[]> counts) {
        return NameCounts.of(counts);
    }
}
