package io.pglogs.report;

import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads {@link SummaryWriter}'s JSON token by token straight into a builder, adding it as
 * {@link ReportBuilder#merge} adds a builder (issue 26 part 3: a fleet report merges tens of thousands of rollups; a
 * tree of maps and a builder per summary cost most of its time). Groups go into the target's tables as the summary
 * lists them (by key); a group's runs are copied only when two tables keep them.
 */
final class SummaryMerger {
    private final SummaryJson p;
    private final ReportBuilder b;

    private SummaryMerger(SummaryJson p, ReportBuilder b) {
        this.p = p;
        this.b = b;
    }

    /**
     * Adds the summary {@code p} is at the start of to {@code into}. The version ({@code v}, written first) is checked
     * before anything is added; a summary found damaged later leaves {@code into} part-merged (callers drop it).
     */
    static void merge(SummaryJson p, ReportBuilder into) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw bad("no JSON object inside");
        }
        if (!"v".equals(p.nextFieldName())) {
            throw bad("its version ('v') is not its first field");
        }
        Object version = p.nextToken() == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : p.getText();
        if (!(version instanceof Long v) || v != SummaryCodec.VERSION) {
            throw new IllegalArgumentException("summary version " + version + " cannot be read by this pglogs (it reads "
                    + "version " + SummaryCodec.VERSION + "); upgrade pglogs");
        }
        into.startMerge();
        new SummaryMerger(p, into).builder();
    }

    private void builder() throws IOException {
        for (String f = p.nextFieldName(); f != null; f = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            switch (f) {
                case "n" -> b.entries += n();
                case "f" -> b.first = Math.min(b.first, n());
                case "l" -> b.last = Math.max(b.last, n());
                case "r" -> b.legacy.reclassified(b.legacy.reclassified() + n());
                case "h" -> counts(f, b.hours.counts);
                case "sv" -> names(b.severities);
                case "k" -> names(b.kinds);
                case "i" -> names(b.instances);
                case "S" -> statements(b.statements);
                case "E" -> errors(b.errors);
                case "L" -> locks(b.locks);
                case "T" -> tempFiles(b.tempFiles);
                case "C" -> checkpoints(b.checkpoints);
                case "V" -> vacuums(b.vacuums);
                case "N" -> connections(b.connections);
                default -> skip(t);
            }
        }
        end(JsonToken.END_OBJECT);
    }

    /** A statement group as the summary stores it: its runs in each table ("t"/"s" may refer to another table's). */
    private static final class StatementRecord {
        String key;
        StatementTally.Runs all;
        long allUncounted;
        boolean allPartial;
        StatementTally.Runs timed;
        /** -1: no "t"; 0: "t" is the group by count's runs; 1: {@link #timed} */
        int timedFrom = -1;
        long timedUncounted;
        boolean timedPartial;
        StatementTally.Runs slow;
        /** -1: no "s"; 0: the group by count's runs; 1: the timed ones; 2: {@link #slow} */
        int slowFrom = -1;
        double slowMax;
        boolean slowPartial;
    }

    /** What {@link StatementTally#merge} adds after its loop over the groups, kept in its order. */
    private record Newcomer(String key, StatementTally.Runs runs, long uncounted, boolean partial, double max) {
    }

    private void statements(StatementTally s) throws IOException {
        start(JsonToken.START_OBJECT);
        List<Newcomer> newInTime = new ArrayList<>();
        List<Newcomer> newInSlowest = new ArrayList<>();
        List<Newcomer> byCount = new ArrayList<>();
        for (String f = p.nextFieldName(); f != null; f = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            switch (f) {
                case "n" -> s.count += n();
                case "us" -> s.totalMicros += n();
                case "lg" -> s.logged += n();
                case "ae" -> s.autoExplain += n();
                case "wt" -> s.withoutText += n();
                case "pb" -> s.parseBind += n();
                case "pbus" -> s.parseBindMicros += n();
                case "h" -> counts(f, s.hours.counts);
                case "gf" -> folded(s.groups);
                case "tf" -> folded(s.byTime);
                case "se" -> {
                    if (t == JsonToken.VALUE_TRUE) {
                        s.slowest.evicted(true);
                    }
                }
                case "g" -> {
                    start(JsonToken.START_ARRAY);
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        statement(s, record(), newInTime, newInSlowest, byCount);
                    }
                    end(JsonToken.END_ARRAY);
                }
                default -> skip(t);
            }
        }
        end(JsonToken.END_OBJECT);
        for (Newcomer n : newInTime) {
            s.byTime.mergeGroup(n.key(), n.runs(), n.uncounted(), n.partial());
        }
        for (Newcomer n : newInSlowest) {
            s.slowest.merge(n.key(), n.max(), n.runs(), n.partial());
        }
        for (Newcomer n : byCount) {
            s.groups.mergeGroup(n.key(), n.runs(), n.uncounted(), n.partial());
        }
    }

    private StatementRecord record() throws IOException {
        StatementRecord r = new StatementRecord();
        for (String f = p.nextFieldName(); f != null; f = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            switch (f) {
                case "k" -> r.key = text();
                case "g" -> r.all = runs();
                case "gu" -> r.allUncounted = n();
                case "gp" -> r.allPartial = t == JsonToken.VALUE_TRUE;
                case "t" -> {
                    if (t == JsonToken.START_OBJECT) {
                        r.timed = runs();
                        r.timedFrom = 1;
                    } else {
                        n();
                        r.timedFrom = 0;
                    }
                }
                case "tu" -> r.timedUncounted = n();
                case "tp" -> r.timedPartial = t == JsonToken.VALUE_TRUE;
                case "s" -> {
                    if (t == JsonToken.START_OBJECT) {
                        r.slow = runs();
                        r.slowFrom = 2;
                    } else {
                        r.slowFrom = n() == 0 ? 0 : 1;
                    }
                }
                case "sm" -> r.slowMax = d();
                case "sp" -> r.slowPartial = t == JsonToken.VALUE_TRUE;
                default -> skip(t);
            }
        }
        end(JsonToken.END_OBJECT);
        if (r.timedFrom == 0) {
            required(r.all, "t");
        }
        if (r.slowFrom == 0) {
            required(r.all, "s");
        } else if (r.slowFrom == 1) {
            required(r.timedFrom == 0 ? r.all : r.timed, "s");
        }
        return r;
    }

    /**
     * One group, as {@link StatementTally#merge} takes a group of a decoded summary's tables: into the tables by time
     * and by slowest run at once when they hold it (their runs only read), else after every group (newcomers could
     * push out a group the tables held before); into the table by count last.
     */
    private static void statement(StatementTally s, StatementRecord r, List<Newcomer> newInTime,
                                  List<Newcomer> newInSlowest, List<Newcomer> byCount) {
        StatementTally.Runs timed = r.timedFrom == 1 ? r.timed : r.timedFrom == 0 ? r.all : null;
        StatementTally.Runs slow = r.slowFrom == 2 ? r.slow : r.slowFrom == 1 ? timed : r.slowFrom == 0 ? r.all : null;
        if (s.byTime.held(r.key) != null) {
            StatementTally.Runs runs = r.all != null ? r.all : timed;
            if (runs != null) {
                s.byTime.mergeGroup(r.key, runs, r.timedFrom < 0 ? 0 : r.timedUncounted,
                        r.timedFrom >= 0 && r.timedPartial);
            }
        } else if (timed != null) {
            // Kept by the table: its own runs, not another table's.
            newInTime.add(new Newcomer(r.key, timed == r.all ? timed.copy() : timed, r.timedUncounted,
                    r.timedPartial, 0));
        }
        if (s.slowest.held(r.key) != null) {
            StatementTally.Runs runs = r.all != null ? r.all : slow;
            if (runs != null) {
                s.slowest.merge(r.key, runs.maxMs, runs, false);
            }
        } else if (slow != null) {
            newInSlowest.add(new Newcomer(r.key, slow == r.all || slow == timed ? slow.copy() : slow, 0,
                    r.slowPartial, r.slowMax));
        }
        if (r.all != null) {
            byCount.add(new Newcomer(r.key, r.all, r.allUncounted, r.allPartial, 0));
        }
    }

    private static StatementTally.Runs required(StatementTally.Runs r, String field) {
        if (r == null) {
            throw bad("'" + field + "' refers to a group not there");
        }
        return r;
    }

    private StatementTally.Runs runs() throws IOException {
        start(JsonToken.START_OBJECT);
        StatementTally.Runs r = new StatementTally.Runs();
        for (String f = p.nextFieldName(); f != null; f = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            switch (f) {
                case "c" -> r.count = n();
                case "t" -> r.timed = n();
                case "us" -> r.totalMicros = n();
                case "mx" -> r.maxMs = d();
                case "mn" -> r.minMs = d();
                case "q" -> sketch(r.sketch);
                case "u" -> strings(r.users);
                case "d" -> strings(r.databases);
                case "s" -> r.sample = text();
                case "sa" -> r.sampleAt = n();
                case "i" -> r.instance = text();
                default -> skip(t);
            }
        }
        end(JsonToken.END_OBJECT);
        return r;
    }

    /** [zeros, offset, count, count...]: the buckets from offset on. */
    private void sketch(QuantileSketch sketch) throws IOException {
        long[] values = p.longs();
        if (values.length == 0) {
            return;
        }
        if (values.length < 2) {
            throw bad("'q' has no offset");
        }
        sketch.zeros = values[0];
        sketch.offset = (int) values[1];
        sketch.counts = java.util.Arrays.copyOfRange(values, 2, values.length);
        long total = sketch.zeros;
        for (long c : sketch.counts) {
            total += c;
        }
        sketch.total = total;
    }

    private void strings(Names into) throws IOException {
        start(JsonToken.START_ARRAY);
        while (p.nextToken() != JsonToken.END_ARRAY) {
            into.add(text());
        }
    }

    private void errors(ErrorTally e) throws IOException {
        start(JsonToken.START_OBJECT);
        for (String f = p.nextFieldName(); f != null; f = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            switch (f) {
                case "n" -> e.count += n();
                case "h" -> counts(f, e.hours.counts);
                case "sv" -> names(e.bySeverity);
                case "cl" -> names(e.byClass);
                case "gf" -> folded(e.groups);
                case "g" -> {
                    start(JsonToken.START_ARRAY);
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        error(e);
                    }
                    end(JsonToken.END_ARRAY);
                }
                default -> skip(t);
            }
        }
        end(JsonToken.END_OBJECT);
    }

    private void error(ErrorTally e) throws IOException {
        String severity = null;
        String message = null;
        String cls = null;
        long count = 0;
        long first = 0;
        long last = 0;
        String sample = null;
        String detail = null;
        String statement = null;
        String instance = null;
        long uncounted = 0;
        boolean partial = false;
        for (String f = p.nextFieldName(); f != null; f = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            switch (f) {
                case "sv" -> severity = text();
                case "m" -> message = text();
                case "c" -> cls = text();
                case "n" -> count = n();
                case "f" -> first = n();
                case "l" -> last = n();
                case "s" -> sample = text();
                case "dt" -> detail = text();
                case "st" -> statement = text();
                case "i" -> instance = text();
                case "u" -> uncounted = n();
                case "p" -> partial = t == JsonToken.VALUE_TRUE;
                default -> skip(t);
            }
        }
        end(JsonToken.END_OBJECT);
        ErrorTally.Occurrences o = new ErrorTally.Occurrences(severity, message);
        o.sqlstateClass = cls == null ? "" : cls;
        o.count = count;
        o.first = first;
        o.last = last;
        o.sample = sample;
        o.detail = detail;
        o.statement = statement;
        o.instance = instance;
        e.groups.mergeGroup(severity + ":  " + message, o, uncounted, partial);
    }

    private void locks(LockTally l) throws IOException {
        start(JsonToken.START_OBJECT);
        List<LockTally.Event> deadlocks = new ArrayList<>();
        for (String f = p.nextFieldName(); f != null; f = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            switch (f) {
                case "w" -> l.waits += n();
                case "a" -> l.acquired += n();
                case "d" -> l.deadlockCount += n();
                case "mx" -> l.maxWaitMs = Math.max(l.maxWaitMs, d());
                case "h" -> counts(f, l.hours.counts);
                case "lw" -> {
                    start(JsonToken.START_ARRAY);
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        l.keepLongest(event());
                    }
                    end(JsonToken.END_ARRAY);
                }
                case "dl" -> {
                    start(JsonToken.START_ARRAY);
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        deadlocks.add(event());
                    }
                    end(JsonToken.END_ARRAY);
                }
                default -> skip(t);
            }
        }
        end(JsonToken.END_OBJECT);
        l.mergeDeadlocks(deadlocks.subList(Math.max(0, deadlocks.size() - l.top), deadlocks.size()));
    }

    private LockTally.Event event() throws IOException {
        long at = 0;
        String instance = null;
        Long pid = null;
        String kind = null;
        Double wait = null;
        String message = null;
        String detail = null;
        String statement = null;
        for (String f = p.nextFieldName(); f != null; f = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            switch (f) {
                case "a" -> at = n();
                case "i" -> instance = text();
                case "p" -> pid = t == JsonToken.VALUE_NULL ? null : n();
                case "k" -> kind = text();
                case "w" -> wait = t == JsonToken.VALUE_NULL ? null : d();
                case "m" -> message = text();
                case "dt" -> detail = text();
                case "st" -> statement = text();
                default -> skip(t);
            }
        }
        end(JsonToken.END_OBJECT);
        LockTally.Event e = new LockTally.Event(at, instance, pid, kind, wait, message);
        e.detail = detail;
        e.statement = statement;
        return e;
    }

    private void tempFiles(TempFileTally tf) throws IOException {
        start(JsonToken.START_OBJECT);
        for (String f = p.nextFieldName(); f != null; f = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            switch (f) {
                case "n" -> tf.count += n();
                case "b" -> tf.totalBytes += n();
                case "mx" -> tf.maxBytes = Math.max(tf.maxBytes, n());
                case "h" -> counts(f, tf.hours.counts);
                case "gf" -> folded(tf.groups);
                case "g" -> {
                    start(JsonToken.START_ARRAY);
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        tempFile(tf);
                    }
                    end(JsonToken.END_ARRAY);
                }
                default -> skip(t);
            }
        }
        end(JsonToken.END_OBJECT);
    }

    private void tempFile(TempFileTally tf) throws IOException {
        String key = null;
        String text = null;
        long count = 0;
        long bytes = 0;
        long max = 0;
        String sample = null;
        long uncounted = 0;
        boolean partial = false;
        for (String f = p.nextFieldName(); f != null; f = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            switch (f) {
                case "k" -> key = text();
                case "t" -> text = text();
                case "n" -> count = n();
                case "b" -> bytes = n();
                case "mx" -> max = n();
                case "s" -> sample = text();
                case "u" -> uncounted = n();
                case "p" -> partial = t == JsonToken.VALUE_TRUE;
                default -> skip(t);
            }
        }
        end(JsonToken.END_OBJECT);
        TempFileTally.Files files = new TempFileTally.Files(text);
        files.count = count;
        files.totalBytes = bytes;
        files.maxBytes = max;
        files.sample = sample;
        tf.groups.mergeGroup(key, files, uncounted, partial);
    }

    private void checkpoints(CheckpointTally c) throws IOException {
        start(JsonToken.START_OBJECT);
        for (String f = p.nextFieldName(); f != null; f = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            switch (f) {
                case "s" -> c.started += n();
                case "n" -> c.completed += n();
                case "c" -> names(c.causes);
                case "b" -> c.buffers += n();
                case "w" -> c.writeMs += n();
                case "y" -> c.syncMs += n();
                case "t" -> c.totalMs += n();
                case "h" -> counts(f, c.hours.counts);
                case "x" -> c.worst(worst());
                default -> skip(t);
            }
        }
        end(JsonToken.END_OBJECT);
    }

    private Checkpoints.Run worst() throws IOException {
        start(JsonToken.START_OBJECT);
        long at = 0;
        String instance = null;
        long buffers = 0;
        double write = 0;
        double sync = 0;
        double total = 0;
        for (String f = p.nextFieldName(); f != null; f = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            switch (f) {
                case "a" -> at = n();
                case "i" -> instance = text();
                case "b" -> buffers = n();
                case "w" -> write = d();
                case "y" -> sync = d();
                case "t" -> total = d();
                default -> skip(t);
            }
        }
        end(JsonToken.END_OBJECT);
        return new Checkpoints.Run(Instant.ofEpochMilli(at), instance, buffers, write, sync, total);
    }

    private void vacuums(VacuumTally v) throws IOException {
        start(JsonToken.START_OBJECT);
        for (String f = p.nextFieldName(); f != null; f = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            switch (f) {
                case "v" -> v.vacuums += n();
                case "a" -> v.analyzes += n();
                case "h" -> counts(f, v.hours.counts);
                case "gf" -> folded(v.tables);
                case "g" -> {
                    start(JsonToken.START_ARRAY);
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        vacuum(v);
                    }
                    end(JsonToken.END_ARRAY);
                }
                default -> skip(t);
            }
        }
        end(JsonToken.END_OBJECT);
    }

    private void vacuum(VacuumTally v) throws IOException {
        String key = null;
        VacuumTally.Runs runs = new VacuumTally.Runs();
        long uncounted = 0;
        boolean partial = false;
        for (String f = p.nextFieldName(); f != null; f = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            switch (f) {
                case "k" -> key = text();
                case "v" -> runs.vacuums = n();
                case "a" -> runs.analyzes = n();
                case "p" -> runs.pagesRemoved = n();
                case "t" -> runs.tuplesRemoved = n();
                case "e" -> runs.elapsedMillis = n();
                case "x" -> runs.maxElapsedS = d();
                case "u" -> uncounted = n();
                case "pt" -> partial = t == JsonToken.VALUE_TRUE;
                default -> skip(t);
            }
        }
        end(JsonToken.END_OBJECT);
        v.tables.mergeGroup(key, runs, uncounted, partial);
    }

    private void connections(ConnectionTally c) throws IOException {
        start(JsonToken.START_OBJECT);
        for (String f = p.nextFieldName(); f != null; f = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            switch (f) {
                case "r" -> c.received += n();
                case "a" -> c.authorized += n();
                case "f" -> c.authFailures += n();
                case "x" -> c.refused += n();
                case "s" -> c.sessions += n();
                case "us" -> c.sessionMicros += n();
                case "mx" -> c.maxSessionMs = Math.max(c.maxSessionMs, d());
                case "h" -> counts(f, c.hours.counts);
                case "m" -> counts(f, c.minutes.counts);
                case "u" -> parties(c.users);
                case "d" -> parties(c.databases);
                case "c" -> parties(c.clients);
                case "uf" -> folded(c.users);
                case "df" -> folded(c.databases);
                case "cf" -> folded(c.clients);
                default -> skip(t);
            }
        }
        end(JsonToken.END_OBJECT);
    }

    private void parties(TopK<String, ConnectionTally.Party> table) throws IOException {
        start(JsonToken.START_ARRAY);
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String key = null;
            ConnectionTally.Party party = new ConnectionTally.Party();
            long uncounted = 0;
            boolean partial = false;
            for (String f = p.nextFieldName(); f != null; f = p.nextFieldName()) {
                JsonToken t = p.nextToken();
                switch (f) {
                    case "k" -> key = text();
                    case "c" -> party.connections = n();
                    case "f" -> party.authFailures = n();
                    case "s" -> party.sessions = n();
                    case "us" -> party.sessionMicros = n();
                    case "mx" -> party.maxSessionMs = d();
                    case "u" -> uncounted = n();
                    case "p" -> partial = t == JsonToken.VALUE_TRUE;
                    default -> skip(t);
                }
            }
            end(JsonToken.END_OBJECT);
            table.mergeGroup(key, party, uncounted, partial);
        }
        end(JsonToken.END_ARRAY);
    }

    /** [key, count, key, count...] (hours, minutes) added to {@code into}. */
    private void counts(String name, Map<Long, long[]> into) throws IOException {
        long[] flat = p.longs();
        if (flat.length % 2 != 0) {
            throw bad("'" + name + "' has an odd length");
        }
        for (int i = 0; i < flat.length; i += 2) {
            long[] held = into.get(flat[i]);
            if (held == null) {
                into.put(flat[i], new long[] {flat[i + 1]});
            } else {
                held[0] += flat[i + 1];
            }
        }
    }

    private void names(Map<String, long[]> into) throws IOException {
        start(JsonToken.START_OBJECT);
        for (String f = p.nextFieldName(); f != null; f = p.nextFieldName()) {
            p.nextToken();
            long count = n();
            long[] held = into.get(f);
            if (held == null) {
                into.put(f, new long[] {count});
            } else {
                held[0] += count;
            }
        }
        end(JsonToken.END_OBJECT);
    }

    /** [groups, entries] folded in the summary's table, added to {@code table}'s. */
    private void folded(TopK<?, ?> table) throws IOException {
        start(JsonToken.START_ARRAY);
        long groups = 0;
        long entries = 0;
        if (p.nextToken() != JsonToken.END_ARRAY) {
            groups = n();
            if (p.nextToken() != JsonToken.END_ARRAY) {
                entries = n();
                end(p.nextToken(), JsonToken.END_ARRAY);
            }
        }
        table.addFolded(groups, entries);
    }

    private long n() throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            return (long) p.getDoubleValue();
        }
        throw bad("a number expected at '" + p.currentName() + "', found " + t);
    }

    private double d() throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
            return p.getDoubleValue();
        }
        throw bad("a number expected at '" + p.currentName() + "', found " + t);
    }

    private String text() throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw bad("a text expected at '" + p.currentName() + "', found " + t);
    }

    private void start(JsonToken expected) {
        if (p.currentToken() != expected) {
            throw bad(expected + " expected at '" + currentName() + "', found " + p.currentToken());
        }
    }

    private void end(JsonToken expected) {
        end(p.currentToken(), expected);
    }

    private void end(JsonToken found, JsonToken expected) {
        if (found != expected) {
            throw bad(expected + " expected, found " + found);
        }
    }

    private String currentName() {
        return p.currentName();
    }

    /** A field this reader does not know: written by a later pglogs of the same version, or not used. */
    private void skip(JsonToken t) throws IOException {
        if (t == null) {
            throw bad("unfinished object");
        }
        p.skipChildren();
    }

    private static IllegalArgumentException bad(String why) {
        return new IllegalArgumentException("not a pglogs summary: " + why);
    }
}
