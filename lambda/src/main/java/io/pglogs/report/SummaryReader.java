package io.pglogs.report;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Reads {@link SummaryWriter}'s JSON (as {@link JsonValues}) back into a builder. */
final class SummaryReader {
    private SummaryReader() {
    }

    static ReportBuilder read(Map<String, Object> m, ReportBuilder.Options options) {
        ReportBuilder b = new ReportBuilder(options, null, null);
        b.entries = n(m, "n");
        if (b.entries > 0) {
            b.first = n(m, "f");
            b.last = n(m, "l");
        }
        b.legacy.reclassified(n(m, "r"));
        counts(m, "h", b.hours.counts);
        names(m, "sv", b.severities);
        names(m, "k", b.kinds);
        names(m, "i", b.instances);
        statements(o(m, "S"), b.statements);
        errors(o(m, "E"), b.errors);
        locks(o(m, "L"), b.locks);
        tempFiles(o(m, "T"), b.tempFiles);
        checkpoints(o(m, "C"), b.checkpoints);
        vacuums(o(m, "V"), b.vacuums);
        connections(o(m, "N"), b.connections);
        return b;
    }

    private static void statements(Map<String, Object> m, StatementTally s) {
        if (m == null) {
            return;
        }
        s.count = n(m, "n");
        s.totalMicros = n(m, "us");
        s.logged = n(m, "lg");
        s.autoExplain = n(m, "ae");
        s.withoutText = n(m, "wt");
        s.parseBind = n(m, "pb");
        s.parseBindMicros = n(m, "pbus");
        counts(m, "h", s.hours.counts);
        for (Map<String, Object> r : objects(m, "g")) {
            String key = text(r, "k");
            StatementTally.Runs all = r.get("g") instanceof Map<?, ?> ? runs(o(r, "g")) : null;
            StatementTally.Runs timed = null;
            if (r.containsKey("t")) {
                timed = r.get("t") instanceof Map<?, ?> ? runs(o(r, "t")) : required(all, "t").copy();
            }
            if (all != null) {
                s.groups.mergeGroup(key, all, n(r, "gu"), flag(r, "gp"));
            }
            if (timed != null) {
                s.byTime.mergeGroup(key, timed, n(r, "tu"), flag(r, "tp"));
            }
            if (r.containsKey("s")) {
                Object ref = r.get("s");
                StatementTally.Runs slow = ref instanceof Map<?, ?> ? runs(o(r, "s"))
                        : (n(r, "s") == 0 ? required(all, "s") : required(timed, "s")).copy();
                s.slowest.merge(key, d(r, "sm", 0), slow, flag(r, "sp"));
            }
        }
        long[] gf = folded(m, "gf");
        s.groups.addFolded(gf[0], gf[1]);
        long[] tf = folded(m, "tf");
        s.byTime.addFolded(tf[0], tf[1]);
        if (flag(m, "se")) {
            s.slowest.evicted(true);
        }
    }

    private static StatementTally.Runs required(StatementTally.Runs r, String field) {
        if (r == null) {
            throw new IllegalArgumentException("not a pglogs summary: '" + field + "' refers to a group not there");
        }
        return r;
    }

    private static StatementTally.Runs runs(Map<String, Object> m) {
        StatementTally.Runs r = new StatementTally.Runs();
        r.count = n(m, "c");
        r.timed = n(m, "t");
        r.totalMicros = n(m, "us");
        r.maxMs = d(m, "mx", -1);
        r.minMs = d(m, "mn", Double.MAX_VALUE);
        List<Object> q = list(m, "q");
        if (!q.isEmpty()) {
            QuantileSketch sketch = r.sketch;
            sketch.zeros = ((Number) q.get(0)).longValue();
            sketch.offset = ((Number) q.get(1)).intValue();
            sketch.counts = new long[q.size() - 2];
            long total = sketch.zeros;
            for (int i = 2; i < q.size(); i++) {
                sketch.counts[i - 2] = ((Number) q.get(i)).longValue();
                total += sketch.counts[i - 2];
            }
            sketch.total = total;
        }
        for (Object u : list(m, "u")) {
            r.users.add((String) u);
        }
        for (Object u : list(m, "d")) {
            r.databases.add((String) u);
        }
        r.sample = text(m, "s");
        r.sampleAt = n(m, "sa");
        r.instance = text(m, "i");
        return r;
    }

    private static void errors(Map<String, Object> m, ErrorTally e) {
        if (m == null) {
            return;
        }
        e.count = n(m, "n");
        counts(m, "h", e.hours.counts);
        names(m, "sv", e.bySeverity);
        names(m, "cl", e.byClass);
        for (Map<String, Object> r : objects(m, "g")) {
            ErrorTally.Occurrences o = new ErrorTally.Occurrences(text(r, "sv"), text(r, "m"));
            String cls = text(r, "c");
            o.sqlstateClass = cls == null ? "" : cls;
            o.count = n(r, "n");
            o.first = n(r, "f");
            o.last = n(r, "l");
            o.sample = text(r, "s");
            o.detail = text(r, "dt");
            o.statement = text(r, "st");
            o.instance = text(r, "i");
            e.groups.mergeGroup(o.severity + ":  " + o.message, o, n(r, "u"), flag(r, "p"));
        }
        long[] f = folded(m, "gf");
        e.groups.addFolded(f[0], f[1]);
    }

    private static void locks(Map<String, Object> m, LockTally l) {
        if (m == null) {
            return;
        }
        l.waits = n(m, "w");
        l.acquired = n(m, "a");
        l.deadlockCount = n(m, "d");
        l.maxWaitMs = d(m, "mx", 0);
        counts(m, "h", l.hours.counts);
        for (Map<String, Object> r : objects(m, "lw")) {
            l.longest.add(event(r));
            if (l.longest.size() > l.top) {
                l.longest.poll();
            }
        }
        for (Map<String, Object> r : objects(m, "dl")) {
            l.deadlocks.addLast(event(r));
            if (l.deadlocks.size() > l.top) {
                l.deadlocks.removeFirst();
            }
        }
    }

    private static LockTally.Event event(Map<String, Object> r) {
        LockTally.Event e = new LockTally.Event(n(r, "a"), text(r, "i"),
                r.get("p") instanceof Number p ? p.longValue() : null, text(r, "k"),
                r.get("w") instanceof Number w ? w.doubleValue() : null, text(r, "m"));
        e.detail = text(r, "dt");
        e.statement = text(r, "st");
        return e;
    }

    private static void tempFiles(Map<String, Object> m, TempFileTally t) {
        if (m == null) {
            return;
        }
        t.count = n(m, "n");
        t.totalBytes = n(m, "b");
        t.maxBytes = n(m, "mx");
        counts(m, "h", t.hours.counts);
        for (Map<String, Object> r : objects(m, "g")) {
            TempFileTally.Files f = new TempFileTally.Files(text(r, "t"));
            f.count = n(r, "n");
            f.totalBytes = n(r, "b");
            f.maxBytes = n(r, "mx");
            f.sample = text(r, "s");
            t.groups.mergeGroup(text(r, "k"), f, n(r, "u"), flag(r, "p"));
        }
        long[] f = folded(m, "gf");
        t.groups.addFolded(f[0], f[1]);
    }

    private static void checkpoints(Map<String, Object> m, CheckpointTally c) {
        if (m == null) {
            return;
        }
        c.started = n(m, "s");
        c.completed = n(m, "n");
        names(m, "c", c.causes);
        c.buffers = n(m, "b");
        c.writeMs = n(m, "w");
        c.syncMs = n(m, "y");
        c.totalMs = n(m, "t");
        counts(m, "h", c.hours.counts);
        Map<String, Object> x = o(m, "x");
        if (x != null) {
            c.worst = new Checkpoints.Run(Instant.ofEpochMilli(n(x, "a")), text(x, "i"), n(x, "b"), d(x, "w", 0),
                    d(x, "y", 0), d(x, "t", 0));
        }
    }

    private static void vacuums(Map<String, Object> m, VacuumTally v) {
        if (m == null) {
            return;
        }
        v.vacuums = n(m, "v");
        v.analyzes = n(m, "a");
        counts(m, "h", v.hours.counts);
        for (Map<String, Object> r : objects(m, "g")) {
            VacuumTally.Runs runs = new VacuumTally.Runs();
            runs.vacuums = n(r, "v");
            runs.analyzes = n(r, "a");
            runs.pagesRemoved = n(r, "p");
            runs.tuplesRemoved = n(r, "t");
            runs.elapsedMillis = n(r, "e");
            runs.maxElapsedS = d(r, "x", 0);
            v.tables.mergeGroup(text(r, "k"), runs, n(r, "u"), flag(r, "pt"));
        }
        long[] f = folded(m, "gf");
        v.tables.addFolded(f[0], f[1]);
    }

    private static void connections(Map<String, Object> m, ConnectionTally c) {
        if (m == null) {
            return;
        }
        c.received = n(m, "r");
        c.authorized = n(m, "a");
        c.authFailures = n(m, "f");
        c.refused = n(m, "x");
        c.sessions = n(m, "s");
        c.sessionMicros = n(m, "us");
        c.maxSessionMs = d(m, "mx", 0);
        counts(m, "h", c.hours.counts);
        counts(m, "m", c.minutes.counts);
        parties(m, "u", c.users);
        parties(m, "d", c.databases);
        parties(m, "c", c.clients);
    }

    private static void parties(Map<String, Object> m, String name, TopK<String, ConnectionTally.Party> table) {
        for (Map<String, Object> r : objects(m, name)) {
            ConnectionTally.Party p = new ConnectionTally.Party();
            p.connections = n(r, "c");
            p.authFailures = n(r, "f");
            p.sessions = n(r, "s");
            p.sessionMicros = n(r, "us");
            p.maxSessionMs = d(r, "mx", 0);
            table.mergeGroup(text(r, "k"), p, n(r, "u"), flag(r, "p"));
        }
        long[] f = folded(m, name + "f");
        table.addFolded(f[0], f[1]);
    }

    private static void counts(Map<String, Object> m, String name, Map<Long, long[]> into) {
        List<Object> flat = list(m, name);
        if (flat.size() % 2 != 0) {
            throw new IllegalArgumentException("not a pglogs summary: '" + name + "' has an odd length");
        }
        for (int i = 0; i < flat.size(); i += 2) {
            into.computeIfAbsent(((Number) flat.get(i)).longValue(), k -> new long[1])[0]
                    += ((Number) flat.get(i + 1)).longValue();
        }
    }

    private static void names(Map<String, Object> m, String name, Map<String, long[]> into) {
        Map<String, Object> counts = o(m, name);
        if (counts != null) {
            counts.forEach((k, v) -> into.computeIfAbsent(k, x -> new long[1])[0] += ((Number) v).longValue());
        }
    }

    private static long[] folded(Map<String, Object> m, String name) {
        List<Object> f = list(m, name);
        return f.isEmpty() ? new long[2]
                : new long[] {((Number) f.get(0)).longValue(), ((Number) f.get(1)).longValue()};
    }

    private static long n(Map<String, Object> m, String name) {
        return m.get(name) instanceof Number x ? x.longValue() : 0;
    }

    private static double d(Map<String, Object> m, String name, double absent) {
        return m.get(name) instanceof Number x ? x.doubleValue() : absent;
    }

    private static boolean flag(Map<String, Object> m, String name) {
        return Boolean.TRUE.equals(m.get(name));
    }

    private static String text(Map<String, Object> m, String name) {
        return m.get(name) instanceof String s ? s : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> o(Map<String, Object> m, String name) {
        return m.get(name) instanceof Map<?, ?> x ? (Map<String, Object>) x : null;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> m, String name) {
        return m.get(name) instanceof List<?> x ? (List<Object>) x : List.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> objects(Map<String, Object> m, String name) {
        return (List<Map<String, Object>>) (List<?>) list(m, name);
    }
}
