package io.pglogs.cli.query;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * Matches with their context, as {@code grep -C N} shows lines: each match is preceded by the N entries of the same
 * instance and process (pid) before it and followed by the N after it, each row marked in the attribute
 * {@value #CONTEXT}: {@value #BEFORE}, {@value #MATCH} or {@value #AFTER}. The neighbours are read from the table
 * unfiltered (a match's statement, its DETAIL and the session's other entries are context whatever the filters), at
 * most {@link #LOOK} away from the match. Every entry is given out once: a match that is another's context is marked
 * a match there, and its own context continues from what was given out.
 */
public final class ContextRows implements Iterator<LogRow> {
    public static final String CONTEXT = "context";
    public static final String MATCH = "match";
    public static final String BEFORE = "before";
    public static final String AFTER = "after";
    /** How far from a match its neighbours are looked for. */
    static final Duration LOOK = Duration.ofMinutes(10);

    private final LogReader reader;
    private final Iterator<LogRow> matches;
    private final Filters filters;
    private final int n;
    private final Instant now;
    private final Deque<LogRow> pending = new ArrayDeque<>();
    private final Set<String> given = new HashSet<>();

    public ContextRows(LogReader reader, Iterator<LogRow> matches, Filters filters, int n, Instant now) {
        this.reader = reader;
        this.matches = matches;
        this.filters = filters;
        this.n = n;
        this.now = now;
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

    /** Whether the next row given out is context after the last match of its group (no new group read for it). */
    public boolean groupContinues() {
        LogRow head = pending.peek();
        return head != null && AFTER.equals(head.text(CONTEXT));
    }

    private static String key(LogRow r) {
        return r.instance() + '\u0000' + r.sortKey();
    }

    private void group(LogRow m) {
        Instant at = Instant.parse(m.ts());
        if (!given.contains(key(m))) {
            List<LogRow> before = new ArrayList<>();
            Iterator<LogRow> older = reader.read(List.of(m.instance()), at.minus(LOOK), at, Filters.NONE, true, now);
            while (before.size() < n && older.hasNext()) {
                LogRow r = older.next();
                if (r.sortKey().compareTo(m.sortKey()) < 0 && sameProcess(r, m)) {
                    before.add(r);
                }
            }
            Collections.reverse(before);
            for (LogRow r : before) {
                give(r, BEFORE);
            }
            give(m, MATCH);
        }
        int after = 0;
        Iterator<LogRow> newer = reader.read(List.of(m.instance()), at, at.plus(LOOK), Filters.NONE, false, now);
        while (after < n && newer.hasNext()) {
            LogRow r = newer.next();
            if (r.sortKey().compareTo(m.sortKey()) > 0 && sameProcess(r, m)) {
                after++;
                give(r, filters.matches(r) ? MATCH : AFTER);
            }
        }
    }

    private static boolean sameProcess(LogRow a, LogRow b) {
        return Objects.equals(a.text("pid"), b.text("pid"));
    }

    private void give(LogRow r, String mark) {
        if (given.add(key(r))) {
            pending.add(r.with(CONTEXT, mark));
        }
    }
}
