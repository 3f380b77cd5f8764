package io.pglogs.report;

import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@link SummaryWriter}'s JSON token by token straight into a builder, adding it as
 * {@link ReportBuilder#merge} adds a builder (issue 26 part 3: a fleet report merges tens of thousands of rollups; a
 * tree of maps and a builder per summary cost most of its time). Groups go into the target's tables as the summary
 * lists them (by key); a group's runs are copied only when two tables keep them.
 */
final class SummaryMerger extends SummaryFields {
    private final ReportBuilder b;

    private SummaryMerger(SummaryJson p, ReportBuilder b) {
        super(p);
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
                case "S" -> new StatementMerger(p).statements(b.statements);
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
}
