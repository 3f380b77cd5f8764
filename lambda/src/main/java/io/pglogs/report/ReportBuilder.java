package io.pglogs.report;

import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.forwarder.parse.EntryKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Makes a {@link Report} from stored entries as they stream in (oldest first, as LogReader gives them), in memory
 * bounded whatever the window: counts and totals are exact; groups (statements, error messages, tables, users,
 * clients) live in {@link TopK} tables of at most {@code maxGroups} each; histograms hold one number per hour.
 */
public final class ReportBuilder {
    /** Users and databases kept per statement group. */
    public static final int NAMES = 10;
    /** Events of each list a summary keeps (lock waits, deadlocks): a report merged from summaries shows no more. */
    public static final int SUMMARY_EVENTS = 100;
    /** Processes whose last entry may still take companion lines; the oldest is forgotten past this. */
    static final int OPEN_PROCESSES = 10_000;
    private static final Set<String> COMPANIONS = Set.of("DETAIL", "HINT", "CONTEXT", "STATEMENT", "QUERY",
            "LOCATION");

    /**
     * @param top       rows per table in the report ({@code --top})
     * @param maxGroups distinct groups held per table ({@code --max-fingerprints}), at least top
     */
    public record Options(int top, int maxGroups) {
        /**
         * What a summary (issue 26) is made with: groups never folded within one payload, event lists (lock waits,
         * deadlocks, peak minutes) kept to {@link #SUMMARY_EVENTS}: the most a report shows ({@code --top}).
         */
        public static final Options SUMMARY = new Options(SUMMARY_EVENTS, 100_000);

        public Options {
            if (top < 1 || maxGroups < top) {
                throw new IllegalArgumentException("top must be at least 1 and maxGroups at least top");
            }
        }
    }

    final Options options;
    private final Instant from;
    private final Instant until;
    final StatementTally statements;
    final ErrorTally errors;
    final LockTally locks;
    final TempFileTally tempFiles;
    final CheckpointTally checkpoints = new CheckpointTally();
    final VacuumTally vacuums;
    final ConnectionTally connections;
    final HourCounts hours = new HourCounts();
    final Map<String, long[]> severities = new HashMap<>();
    final Map<String, long[]> kinds = new HashMap<>();
    final LegacyEntries legacy = new LegacyEntries();
    final Map<String, long[]> instances = new TreeMap<>();
    long entries;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    /** The entries of one stored time, put back in the order they were logged before they are counted. */
    private final List<LogRow> sameTime = new ArrayList<>();
    private String sameTimeTs;
    /** Per instance and process, what takes the companion lines that follow its last entry. */
    private final LinkedHashMap<String, Companion> open = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Companion> eldest) {
            return size() > OPEN_PROCESSES;
        }
    };

    /** @param from the window's start, @param until its end: the report states the window it was asked for */
    public ReportBuilder(Options options, Instant from, Instant until) {
        this.options = options;
        this.from = from;
        this.until = until;
        statements = new StatementTally(options.maxGroups());
        errors = new ErrorTally(options.maxGroups());
        locks = new LockTally(options.top());
        tempFiles = new TempFileTally(options.maxGroups());
        vacuums = new VacuumTally(options.maxGroups());
        connections = new ConnectionTally(options.maxGroups(), options.top());
    }

    /** Counts one entry; entries must come oldest first. */
    public void add(LogRow row) {
        String ts = row.ts();
        if (!ts.equals(sameTimeTs)) {
            flush();
            sameTimeTs = ts;
        }
        sameTime.add(row);
    }

    /**
     * Entries of the same stored time sort by event id, which for an imported file is {@code name@offset}: "@1000"
     * before "@999". Companion lines need their entry first, so the offsets are compared as numbers.
     */
    public static final Comparator<LogRow> LOGGED_ORDER = (a, b) -> compareEventIds(a.text(ItemContract.EVENT_ID),
            b.text(ItemContract.EVENT_ID));

    /**
     * A total order (TimSort throws on one that is not, past 32 equal-time rows): by the part before the last '@',
     * then ids with a numeric offset before those without, numeric offsets by length then digits (as numbers), the
     * rest as text; ids missing last.
     */
    public static int compareEventIds(String x, String y) {
        if (x == null || y == null) {
            return x == null ? (y == null ? 0 : 1) : -1;
        }
        int ax = Math.max(0, x.lastIndexOf('@'));
        int ay = Math.max(0, y.lastIndexOf('@'));
        int prefix = x.substring(0, ax).compareTo(y.substring(0, ay));
        if (prefix != 0) {
            return prefix;
        }
        boolean nx = x.indexOf('@') >= 0 && digits(x, ax + 1);
        boolean ny = y.indexOf('@') >= 0 && digits(y, ay + 1);
        if (nx != ny) {
            return nx ? -1 : 1;
        }
        if (nx) {
            int byLength = Integer.compare(x.length() - ax, y.length() - ay);
            if (byLength != 0) {
                return byLength;
            }
        }
        return x.compareTo(y);
    }

    private static boolean digits(String s, int from) {
        if (from >= s.length()) {
            return false;
        }
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * Adds everything {@code other} counted, as if its entries had been added here (issue 26: a report merges the
     * summaries written at ingest). Exact for counts, totals, hours, minutes, sketches and first/last; groups merge
     * through their tables, so nothing is folded as long as each table holds every group. Pieces merged in time order
     * give what adding their entries in that order gives, ties included (samples keep the first of the slowest runs,
     * errors their first occurrence, deadlocks the latest). Companion lines link only within a piece: an entry's
     * DETAIL or STATEMENT in the next piece is not attached to it (docs/report.md). {@code other} is consumed: its
     * groups may be taken over rather than copied.
     */
    public void merge(ReportBuilder other) {
        startMerge();
        other.flush();
        entries += other.entries;
        first = Math.min(first, other.first);
        last = Math.max(last, other.last);
        hours.merge(other.hours);
        add(severities, other.severities);
        add(kinds, other.kinds);
        add(instances, other.instances);
        legacy.merge(other.legacy);
        statements.merge(other.statements);
        errors.merge(other.errors);
        locks.merge(other.locks);
        tempFiles.merge(other.tempFiles);
        checkpoints.merge(other.checkpoints);
        vacuums.merge(other.vacuums);
        connections.merge(other.connections);
    }

    /** Before another piece's state is added here (a builder's, or a summary's: SummaryCodec.decodeInto). */
    void startMerge() {
        flush();
        // A companion line added after this merge belongs to an entry of the piece's, not to one counted here before.
        open.clear();
    }

    static <K> void add(Map<K, long[]> to, Map<K, long[]> from) {
        from.forEach((k, v) -> to.computeIfAbsent(k, x -> new long[1])[0] += v[0]);
    }

    /** Counts the entries of the last stored time added (before merging or encoding). */
    void flush() {
        if (sameTime.isEmpty()) {
            return;
        }
        if (sameTime.size() > 1) {
            sameTime.sort(LOGGED_ORDER);
        }
        long at = Rows.millis(sameTimeTs);
        for (LogRow row : sameTime) {
            count(row, at);
        }
        sameTime.clear();
    }

    private void count(LogRow stored, long at) {
        LogRow row = BoundedTexts.cap(legacy.classify(stored));
        entries++;
        first = Math.min(first, at);
        last = Math.max(last, at);
        hours.add(at);
        String severity = row.severity() == null ? "UNKNOWN" : row.severity();
        String kind = row.text(ItemContract.KIND) == null ? EntryKind.OTHER : row.text(ItemContract.KIND);
        severities.computeIfAbsent(severity, k -> new long[1])[0]++;
        kinds.computeIfAbsent(kind, k -> new long[1])[0]++;
        instances.computeIfAbsent(row.instance() == null ? "" : row.instance(), k -> new long[1])[0]++;
        String process = row.instance() + '\u0000' + Rows.pid(row);
        if (COMPANIONS.contains(severity)) {
            Companion to = open.get(process);
            if (to != null) {
                to.companion(severity, row.message(), row.text(ItemContract.FINGERPRINT));
            }
            return;
        }
        Companion takes = section(row, severity, kind, at);
        if (takes == null) {
            open.remove(process);
        } else {
            open.put(process, takes);
        }
    }

    /** Counts the entry in its section; returns what takes its companion lines, or null. */
    private Companion section(LogRow row, String severity, String kind, long at) {
        Companion takes = null;
        if (ErrorTally.SEVERITIES.contains(severity)) {
            takes = errors.add(row, severity, at);
        }
        switch (kind) {
            case EntryKind.STATEMENT_DURATION, EntryKind.STATEMENT_LOG, EntryKind.AUTO_EXPLAIN ->
                    statements.add(row, kind, at);
            case EntryKind.DEADLOCK, EntryKind.LOCK_WAIT, EntryKind.LOCK_ACQUIRED -> {
                Companion lock = locks.add(row, kind, at);
                takes = both(takes, lock);
            }
            case EntryKind.TEMP_FILE -> takes = both(takes, tempFiles.add(row, at));
            case EntryKind.CHECKPOINT_STARTING, EntryKind.CHECKPOINT_COMPLETE -> checkpoints.add(row, kind, at);
            case EntryKind.AUTOVACUUM, EntryKind.AUTOANALYZE -> vacuums.add(row, kind, at);
            case EntryKind.CONNECTION_RECEIVED, EntryKind.CONNECTION_AUTHORIZED, EntryKind.AUTHENTICATION_FAILED,
                    EntryKind.TOO_MANY_CONNECTIONS, EntryKind.DISCONNECTION -> connections.add(row, kind, at);
            default -> {
            }
        }
        return takes;
    }

    private static Companion both(Companion a, Companion b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return (field, text, fingerprint) -> {
            a.companion(field, text, fingerprint);
            b.companion(field, text, fingerprint);
        };
    }

    /** The report of every entry added. */
    public Report build() {
        flush();
        int top = options.top();
        Overview overview = new Overview(from, until, entries == 0 ? null : Instant.ofEpochMilli(first),
                entries == 0 ? null : Instant.ofEpochMilli(last), entries, NameCounts.of(severities),
                NameCounts.of(kinds), instances.entrySet().stream()
                .map(e -> new NameCount(e.getKey(), e.getValue()[0])).toList(), hours.hourly(),
                legacy.reclassified());
        return new Report(overview, statements.build(top), errors.build(top), locks.build(), tempFiles.build(top),
                checkpoints.build(), vacuums.build(top), connections.build(top));
    }
}
