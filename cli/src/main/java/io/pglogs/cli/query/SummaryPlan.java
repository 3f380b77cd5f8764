package io.pglogs.cli.query;

import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.forwarder.dynamo.SummaryItem;
import io.pglogs.report.ReportBuilder;
import io.pglogs.report.Sources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which summaries a report uses whole and which times it reads from entries instead, for one instance and UTC day
 * (docs/schema.md "Summary items", "Reading summaries"). Plain data in, plain data out: no AWS.
 *
 * <p>A summary counts the entries of one payload and ten-minute span of one log stream: every entry of that stream
 * whose (time, event id) lies between its first and its last. It is used whole when all of them are in the window, none
 * has expired, and no other summary of the stream overlaps it (the same events batched twice: a backfill over live
 * data). The others are read from entries over their times cut to the window, and an entry read there that a used
 * summary holds (same stream, between its first and last) is left to the summary. That keeps the reading to the
 * ragged parts: the contract's alternative, widening a range to every summary touching it in time until stable,
 * would run through a whole busy day where timestamps have whole seconds ({@code %t}) and payloads end mid-second.
 */
public final class SummaryPlan {
    /**
     * A summary item as the plan sees it.
     *
     * @param stream    its log group and stream's identity ({@link #stream(String, String)})
     * @param ts        its first entry's time ({@link ItemContract#isoMillis}), with {@code eventId}
     * @param lastTs    its last entry's time, with {@code lastEventId}
     * @param entries   the entries it counted
     * @param expiresAt the latest expiry of its entries (epoch seconds)
     * @param data      the encoded summary, carried to whoever merges it; null when its item says a version this
     *                  pglogs does not read, or has none
     * @param payloadTs the first entry time of its payload's entries in its span, where that payload's compact items
     *                  there start ({@link ItemContract#PAYLOAD_TS}: {@code ts} unless the summary was split for
     *                  size); null when its item does not say (an older writer's)
     */
    public record Summary(String instance, String stream, String ts, String eventId, String lastTs, String lastEventId,
                          long entries, long expiresAt, byte[] data, String payloadTs) {
        /** A summary whose item does not say where its payload's items start. */
        public Summary(String instance, String stream, String ts, String eventId, String lastTs, String lastEventId,
                       long entries, long expiresAt, byte[] data) {
            this(instance, stream, ts, eventId, lastTs, lastEventId, entries, expiresAt, data, null);
        }

        /** Whether an entry of {@code stream} at this time and id lies between this summary's first and last. */
        boolean holds(String stream, String ts, String eventId) {
            return this.stream.equals(stream) && compare(this.ts, this.eventId, ts, eventId) <= 0
                    && compare(ts, eventId, lastTs, lastEventId) <= 0;
        }

        /**
         * When its first entry expires: the forwarder stamps each entry with its own time plus one TTL, and the item
         * carries the last one's ({@code expiresAt}).
         */
        long firstExpiry() {
            return expiresAt - (seconds(lastTs) - seconds(ts));
        }
    }

    /**
     * Entries of one instance to read, {@code from} to {@code until} (both included, {@link ItemContract#isoMillis}),
     * but those a used summary holds ({@code skip}).
     *
     * @param floor the lowest sort key an item holding an entry this range needs can have, or null when unknown (an
     *              entry of the range may have no summary, or a summary not used does not say where its payload's
     *              items start). On a summarised day every stored entry is in a summary of its payload and span, and
     *              that payload's compact items in the span start at its {@link Summary#payloadTs} (the summary's
     *              first entry, or its first part's when split for size): the entries needed are those of the
     *              summaries not used, so their earliest payload start bounds the items to read, where a compact
     *              table's Query would otherwise start at the span's start ({@link LogReader#read(List, java.time.Instant, java.time.Instant, Filters, boolean,
     *              java.time.Instant, String)}).
     */
    public record Range(String instance, String from, String until, String reason, List<Summary> skip,
                        String floor) {
        /** A range whose items may start anywhere in its first span. */
        public Range(String instance, String from, String until, String reason, List<Summary> skip) {
            this(instance, from, until, reason, skip, null);
        }

        /** Whether a used summary counts this entry already. */
        public boolean skips(LogRow row) {
            if (skip.isEmpty()) {
                return false;
            }
            String stream = stream(row.text(ItemContract.LOG_GROUP), row.text(ItemContract.LOG_STREAM));
            for (Summary s : skip) {
                if (s.holds(stream, row.ts(), row.text(ItemContract.EVENT_ID))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** What to merge: summaries used whole, and entry ranges; each list in time order. */
    public record Plan(List<Summary> used, List<Range> ranges) {
    }

    private SummaryPlan() {
    }

    /**
     * The key a summary and an entry share when they come from one log stream: {@link SummaryItem#streamId}, which a
     * summary item of the short layout stores and one of the long layout is given from its two attributes.
     */
    public static String stream(String group, String stream) {
        return SummaryItem.streamId(group, stream);
    }

    /** An instance-day without summaries: all of its part of the window from entries. */
    public static Plan unsummarised(String instance, String from, String until) {
        return new Plan(List.of(), List.of(new Range(instance, from, until, Sources.NOT_SUMMARISED, List.of())));
    }

    /**
     * @param summaries every summary of the instance-day that may hold an entry of the window (those starting from
     *                  the span the window starts in, less the spans counted from rollups)
     * @param from      the window's part of the day: its first time, included
     * @param until     and its last, included
     * @param now       entries whose expiry is not after this (epoch seconds) are hidden, as from every reader
     */
    public static Plan plan(String instance, List<Summary> summaries, String from, String until, long now) {
        return plan(instance, summaries, from, until, now, java.util.Set.of());
    }

    /**
     * As {@link #plan(String, List, String, String, long)}, with summaries this pglogs cannot decode (another
     * version's, damaged): their times are read from entries ({@link Sources#UNREADABLE}).
     *
     * @param unreadable summaries of {@code summaries} not to use, compared by identity
     */
    public static Plan plan(String instance, List<Summary> summaries, String from, String until, long now,
                            java.util.Set<Summary> unreadable) {
        List<Summary> overlapping = new ArrayList<>();
        for (Summary s : summaries) {
            if (s.lastTs().compareTo(from) >= 0 && s.ts().compareTo(until) <= 0 && s.expiresAt() > now) {
                overlapping.add(s);
            }
        }
        overlapping.sort(FIRST);
        List<Summary> conflicting = conflicting(overlapping);
        List<Summary> used = new ArrayList<>();
        List<Range> unused = new ArrayList<>();
        for (Summary s : overlapping) {
            String reason = conflicting.contains(s) ? Sources.CONFLICT
                    : unreadable.stream().anyMatch(u -> u == s) ? Sources.UNREADABLE
                    : s.firstExpiry() <= now ? Sources.EXPIRING
                    : s.ts().compareTo(from) < 0 || s.lastTs().compareTo(until) > 0 ? Sources.WINDOW_EDGE : null;
            if (reason == null) {
                used.add(s);
            } else {
                unused.add(new Range(instance, max(s.ts(), from), min(s.lastTs(), until), reason, List.of(),
                        s.payloadTs() == null ? null : ItemContract.sortKeyFloor(Instant.parse(s.payloadTs()))));
            }
        }
        return new Plan(List.copyOf(used), joined(unused, used));
    }

    /**
     * Summaries of one stream whose first..last ranges intersect another's, found in one sweep: sorted by first
     * entry, each joins the run before it when it starts before that run's latest last entry; every member of a run
     * of two or more intersects some other member.
     */
    private static List<Summary> conflicting(List<Summary> sorted) {
        java.util.Map<String, List<Summary>> byStream = new java.util.LinkedHashMap<>();
        for (Summary s : sorted) {
            byStream.computeIfAbsent(s.stream(), k -> new ArrayList<>()).add(s);
        }
        java.util.Set<Summary> found = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (List<Summary> stream : byStream.values()) {
            List<Summary> run = new ArrayList<>();
            Summary reach = null;
            for (Summary s : stream) {
                if (reach != null && compare(s.ts(), s.eventId(), reach.lastTs(), reach.lastEventId()) <= 0) {
                    run.add(s);
                } else {
                    if (run.size() > 1) {
                        found.addAll(run);
                    }
                    run = new ArrayList<>(List.of(s));
                    reach = null;
                }
                if (reach == null || compare(s.lastTs(), s.lastEventId(), reach.lastTs(), reach.lastEventId()) > 0) {
                    reach = s;
                }
            }
            if (run.size() > 1) {
                found.addAll(run);
            }
        }
        return new ArrayList<>(found);
    }

    /**
     * Ranges sharing a millisecond or more made one (so no entry is read twice), named by the first reason among
     * them in {@link #PRECEDENCE}; each with the used summaries overlapping it in time, whose entries it skips.
     */
    private static List<Range> joined(List<Range> ranges, List<Summary> used) {
        List<Range> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparing(Range::from).thenComparing(Range::until));
        List<Range> out = new ArrayList<>();
        Range current = null;
        for (Range r : sorted) {
            if (current != null && r.from().compareTo(current.until()) <= 0) {
                current = new Range(current.instance(), current.from(), max(current.until(), r.until()),
                        PRECEDENCE.indexOf(r.reason()) < PRECEDENCE.indexOf(current.reason()) ? r.reason()
                                : current.reason(), List.of(), lower(current.floor(), r.floor()));
            } else {
                if (current != null) {
                    out.add(current);
                }
                current = r;
            }
        }
        if (current != null) {
            out.add(current);
        }
        List<Range> withSkips = new ArrayList<>(out.size());
        for (Range r : out) {
            List<Summary> skip = used.stream().filter(s -> s.ts().compareTo(r.until()) <= 0
                    && s.lastTs().compareTo(r.from()) >= 0).toList();
            withSkips.add(new Range(r.instance(), r.from(), r.until(), r.reason(), skip, r.floor()));
        }
        return List.copyOf(withSkips);
    }

    /** Which reason names a range joined from several. */
    private static final List<String> PRECEDENCE = List.of(Sources.CONFLICT, Sources.UNREADABLE, Sources.EXPIRING,
            Sources.WINDOW_EDGE);

    private static final Comparator<Summary> FIRST = (a, b) -> compare(a.ts(), a.eventId(), b.ts(), b.eventId());

    /** Entries in the order the forwarder sorts a summary's rows: time, then event id as the report orders them. */
    static int compare(String ts, String eventId, String otherTs, String otherEventId) {
        int byTime = ts.compareTo(otherTs);
        return byTime != 0 ? byTime : ReportBuilder.compareEventIds(eventId, otherEventId);
    }

    private static long seconds(String isoMillis) {
        return Instant.parse(isoMillis).getEpochSecond();
    }

    private static String max(String a, String b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** The lower of two floors; null (unknown) when either is. */
    private static String lower(String a, String b) {
        return a == null || b == null ? null : min(a, b);
    }

        private static String min(String a, String b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
