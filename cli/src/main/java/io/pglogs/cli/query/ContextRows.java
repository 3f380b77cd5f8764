package io.pglogs.cli.query;

import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.LogRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * Matches with their context, as {@code grep -C N} shows lines: each match is preceded by the N entries of the same
 * instance and process (pid) before it in the output's order and followed by the N after it, each row marked in the
 * attribute {@value #CONTEXT} by time: {@value #BEFORE} (earlier than its match), {@value #MATCH} or {@value #AFTER}
 * (later). Reading newest first, the later rows come first. The neighbours are read from the table unfiltered but for
 * the process (a match's statement, its DETAIL and the session's other entries are context whatever the filters), at
 * most {@link #LOOK} away from the match. Every entry is given out once: a match that is another's context is marked
 * a match there (if it lies in the query's window: context outside it is context), and its own context continues from
 * what was given out. A process's rows read after one match are read on for the next match of that process when they
 * reach it, rather than read again.
 */
public final class ContextRows implements Iterator<LogRow> {
    public static final String CONTEXT = LogRow.CONTEXT;
    public static final String MATCH = "match";
    public static final String BEFORE = "before";
    public static final String AFTER = "after";
    /** How far from a match its neighbours are looked for. */
    static final Duration LOOK = Duration.ofMinutes(10);
    /** Processes whose reading is kept for their next match: bounded, the oldest dropped. */
    private static final int PROCESSES = 64;

    private final LogReader reader;
    private final Iterator<LogRow> matches;
    private final Filters filters;
    private final int n;
    private final Instant now;
    private final boolean reverse;
    private final String windowFrom;
    private final String windowUntil;
    /** The rows that come before a match in the output: earlier ones, or later ones reading newest first. */
    private final String leadMark;
    private final String trailMark;
    private final Deque<LogRow> pending = new ArrayDeque<>();
    private final Set<String> given = new HashSet<>();
    private final Map<String, Trail> trails = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Trail> eldest) {
            return size() > PROCESSES;
        }
    };

    /**
     * @param reverse    whether the matches come newest first
     * @param from,until the query's window: only rows in it are marked matches
     */
    public ContextRows(LogReader reader, Iterator<LogRow> matches, Filters filters, int n, Instant now,
                       boolean reverse, Instant from, Instant until) {
        this.reader = reader;
        this.matches = matches;
        this.filters = filters;
        this.n = n;
        this.now = now;
        this.reverse = reverse;
        this.windowFrom = ItemContract.isoMillis(from);
        this.windowUntil = ItemContract.isoMillis(until);
        this.leadMark = reverse ? AFTER : BEFORE;
        this.trailMark = reverse ? BEFORE : AFTER;
    }

    @Override
    public boolean hasNext() {
        while (pending.isEmpty() && matches.hasNext()) {
            LogRow m = matches.next();
            if (filters.matchesLocally(m)) {
                group(m);
            }
        }
        return !pending.isEmpty();
    }

    @Override
    public LogRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return pending.poll();
    }

    /** Whether the next row given out is context following the last match of its group (no new group read for it). */
    public boolean groupContinues() {
        LogRow head = pending.peek();
        return head != null && trailMark.equals(head.text(CONTEXT));
    }

    private static String key(LogRow r) {
        return r.instance() + '\u0000' + r.sortKey();
    }

    private static String process(LogRow r) {
        return r.instance() + '\u0000' + r.text(ItemContract.PID);
    }

    /** Whether {@code a} comes after {@code b} in the output's order. */
    private boolean follows(LogRow a, LogRow b) {
        int c = a.sortKey().compareTo(b.sortKey());
        return reverse ? c < 0 : c > 0;
    }

    private void group(LogRow m) {
        Trail trail = trails.get(process(m));
        List<LogRow> lead = trail == null ? null : trail.reach(m);
        if (lead == null) {
            // Nothing read so far leads to this match: its own reading, both ways.
            trail = new Trail(m);
            trails.put(process(m), trail);
            lead = given.contains(key(m)) ? List.of() : lead(m);
        }
        for (LogRow r : lead) {
            give(r, leadMark);
            trail.remember(r);
        }
        give(m, MATCH);
        trail.remember(m);
        int count = trail.countAfter(m);
        while (count < n) {
            LogRow r = trail.read(m, true);
            if (r == null) {
                break;
            }
            count++;
            give(r, isMatch(r) ? MATCH : trailMark);
        }
    }

    /** The N rows of {@code m}'s process before it in the output's order, in that order. */
    private List<LogRow> lead(LogRow m) {
        Instant at = Instant.parse(m.ts());
        List<LogRow> lead = new ArrayList<>();
        Iterator<LogRow> back = reverse ? reader.read(List.of(m.instance()), at, at.plus(LOOK), processOf(m), false, now)
                : reader.read(List.of(m.instance()), at.minus(LOOK), at, processOf(m), true, now);
        while (lead.size() < n && back.hasNext()) {
            LogRow r = back.next();
            if (follows(m, r) && sameProcess(r, m)) {
                lead.add(r);
            }
        }
        Collections.reverse(lead);
        return lead;
    }

    /** No filter but the process (pushed into DynamoDB where the format allows). */
    private static Filters processOf(LogRow m) {
        String pid = m.text(ItemContract.PID);
        return pid == null ? Filters.NONE : Filters.NONE.withPid(Long.valueOf(pid));
    }

    private boolean isMatch(LogRow r) {
        String ts = r.ts();
        return ts != null && ts.compareTo(windowFrom) >= 0 && ts.compareTo(windowUntil) <= 0 && filters.matches(r);
    }

    private static boolean sameProcess(LogRow a, LogRow b) {
        return Objects.equals(a.text(ItemContract.PID), b.text(ItemContract.PID));
    }

    private void give(LogRow r, String mark) {
        if (given.add(key(r))) {
            pending.add(r.with(CONTEXT, mark));
        }
    }

    /**
     * One process's rows in the output's order from a match on, read lazily up to {@link #LOOK} from that match; the
     * last rows read are kept, so a following match of the process they reach (or reach within N more rows) needs no
     * reading of its own.
     */
    private final class Trail {
        /** The match the reading started from: it covers up to LOOK from there. */
        private LogRow openedAt;
        private Iterator<LogRow> rows;
        private LogRow lastRead;
        /** The last rows read, in the output's order: at most 2N + 2. */
        private final Deque<LogRow> recent = new ArrayDeque<>();

        Trail(LogRow m) {
            openedAt = m;
            rows = open(m);
            lastRead = m;
        }

        private Iterator<LogRow> open(LogRow from) {
            Instant at = Instant.parse(from.ts());
            return reverse ? reader.read(List.of(from.instance()), at.minus(LOOK), at, processOf(from), true, now)
                    : reader.read(List.of(from.instance()), at, at.plus(LOOK), processOf(from), false, now);
        }

        /**
         * The up to N rows before {@code m} in the output's order if this trail's reading gets to it (it was read, or
         * is among the next N + 1 rows); null if not.
         */
        List<LogRow> reach(LogRow m) {
            if (!contains(m)) {
                if (!follows(m, lastRead)) {
                    return null;
                }
                for (int i = 0; i <= n; i++) {
                    LogRow r = read(m, false);
                    if (r == null || follows(r, m)) {
                        return null;
                    }
                    if (r.sortKey().equals(m.sortKey())) {
                        break;
                    }
                }
                if (!contains(m)) {
                    return null;
                }
            }
            List<LogRow> out = new ArrayList<>();
            for (Iterator<LogRow> it = recent.descendingIterator(); it.hasNext() && out.size() < n; ) {
                LogRow r = it.next();
                if (follows(m, r)) {
                    out.add(r);
                }
            }
            Collections.reverse(out);
            return out;
        }

        private boolean contains(LogRow m) {
            for (LogRow r : recent) {
                if (r.sortKey().equals(m.sortKey())) {
                    return true;
                }
            }
            return false;
        }

        /** How many rows after {@code m} were read already (handed out as an earlier match's context). */
        int countAfter(LogRow m) {
            int c = 0;
            for (LogRow r : recent) {
                if (follows(r, m)) {
                    c++;
                }
            }
            return c;
        }

        void remember(LogRow r) {
            if (!contains(r)) {
                recent.add(r);
                while (recent.size() > 2 * n + 2) {
                    recent.poll();
                }
            }
        }

        /**
         * The next row of {@code m}'s process after every row read, or null. With {@code reopen}, when the reading
         * from an earlier match ends (LOOK from there), it is read on from {@code m}.
         */
        LogRow read(LogRow m, boolean reopen) {
            while (true) {
                if (!rows.hasNext()) {
                    if (!reopen || openedAt.sortKey().equals(m.sortKey())) {
                        return null;
                    }
                    openedAt = m;
                    rows = open(m);
                    continue;
                }
                LogRow r = rows.next();
                if (sameProcess(r, m) && follows(r, lastRead)) {
                    lastRead = r;
                    remember(r);
                    return r;
                }
            }
        }
    }
}
