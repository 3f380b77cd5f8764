package io.pglogs.report;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a builder's state as {@link SummaryCodec} JSON (field names in docs/schema.md). Numbers that are zero, and
 * absent texts, are left out: a summary is stored for every payload.
 */
final class SummaryWriter {
    private final JsonGenerator g;

    private SummaryWriter(JsonGenerator g) {
        this.g = g;
    }

    static void write(JsonGenerator g, ReportBuilder b) throws IOException {
        new SummaryWriter(g).builder(b);
    }

    private void builder(ReportBuilder b) throws IOException {
        g.writeStartObject();
        g.writeNumberField("v", SummaryCodec.VERSION);
        g.writeNumberField("n", b.entries);
        if (b.entries > 0) {
            g.writeNumberField("f", b.first);
            g.writeNumberField("l", b.last);
        }
        number("r", b.legacy.reclassified());
        counts("h", b.hours.counts);
        names("sv", b.severities);
        names("k", b.kinds);
        names("i", b.instances);
        statements(b.statements);
        errors(b.errors);
        locks(b.locks);
        tempFiles(b.tempFiles);
        checkpoints(b.checkpoints);
        vacuums(b.vacuums);
        connections(b.connections);
        g.writeEndObject();
    }

    private void statements(StatementTally s) throws IOException {
        if (s.count == 0 && s.parseBind == 0) {
            return;
        }
        g.writeObjectFieldStart("S");
        number("n", s.count);
        number("us", s.totalMicros);
        number("lg", s.logged);
        number("ae", s.autoExplain);
        number("wt", s.withoutText);
        number("pb", s.parseBind);
        number("pbus", s.parseBindMicros);
        counts("h", s.hours.counts);
        folded("gf", s.groups.folded());
        folded("tf", s.byTime.folded());
        flag("se", s.slowest.evicted());
        Set<String> keys = new java.util.TreeSet<>();
        s.groups.slots().forEach(x -> keys.add(x.key()));
        s.byTime.slots().forEach(x -> keys.add(x.key()));
        keys.addAll(s.slowest.keys());
        Map<String, TopK.Slot<String, StatementTally.Runs>> timed = new java.util.HashMap<>();
        s.byTime.slots().forEach(x -> timed.put(x.key(), x));
        Map<String, TopK.Slot<String, StatementTally.Runs>> all = new java.util.HashMap<>();
        s.groups.slots().forEach(x -> all.put(x.key(), x));
        g.writeArrayFieldStart("g");
        for (String key : keys) {
            g.writeStartObject();
            g.writeStringField("k", key);
            TopK.Slot<String, StatementTally.Runs> a = all.get(key);
            TopK.Slot<String, StatementTally.Runs> t = timed.get(key);
            StatementTally.Runs slow = s.slowest.held(key);
            if (a != null) {
                g.writeFieldName("g");
                runs(a.value());
                number("gu", a.uncounted());
                flag("gp", a.partial());
            }
            if (t != null) {
                // The table by time usually holds what the table by count holds (every run was timed): said in a byte.
                if (a != null && t.value().sameAs(a.value())) {
                    g.writeNumberField("t", 0);
                } else {
                    g.writeFieldName("t");
                    runs(t.value());
                }
                number("tu", t.uncounted());
                flag("tp", t.partial());
            }
            if (slow != null) {
                if (a != null && slow.sameAs(a.value())) {
                    g.writeNumberField("s", 0);
                } else if (t != null && slow.sameAs(t.value())) {
                    g.writeNumberField("s", 1);
                } else {
                    g.writeFieldName("s");
                    runs(slow);
                }
                g.writeNumberField("sm", s.slowest.max(key));
                flag("sp", s.slowest.partial(key));
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void runs(StatementTally.Runs r) throws IOException {
        g.writeStartObject();
        number("c", r.count);
        number("t", r.timed);
        number("us", r.totalMicros);
        if (r.maxMs != -1) {
            g.writeNumberField("mx", r.maxMs);
        }
        if (r.minMs != Double.MAX_VALUE) {
            g.writeNumberField("mn", r.minMs);
        }
        QuantileSketch q = r.sketch;
        if (q.total > 0) {
            g.writeArrayFieldStart("q");
            g.writeNumber(q.zeros);
            g.writeNumber(q.offset);
            for (long c : q.counts) {
                g.writeNumber(c);
            }
            g.writeEndArray();
        }
        strings("u", r.users.list());
        strings("d", r.databases.list());
        text("s", r.sample);
        number("sa", r.sampleAt);
        text("i", r.instance);
        g.writeEndObject();
    }

    private void errors(ErrorTally e) throws IOException {
        if (e.count == 0) {
            return;
        }
        g.writeObjectFieldStart("E");
        number("n", e.count);
        counts("h", e.hours.counts);
        names("sv", e.bySeverity);
        names("cl", e.byClass);
        folded("gf", e.groups.folded());
        g.writeArrayFieldStart("g");
        for (TopK.Slot<String, ErrorTally.Occurrences> slot : sorted(e.groups.slots())) {
            ErrorTally.Occurrences o = slot.value();
            g.writeStartObject();
            g.writeStringField("sv", o.severity);
            g.writeStringField("m", o.message);
            text("c", o.sqlstateClass.isEmpty() ? null : o.sqlstateClass);
            number("n", o.count);
            g.writeNumberField("f", o.first);
            g.writeNumberField("l", o.last);
            text("s", o.sample);
            text("dt", o.detail);
            text("st", o.statement);
            text("i", o.instance);
            number("u", slot.uncounted());
            flag("p", slot.partial());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void locks(LockTally l) throws IOException {
        if (l.waits == 0 && l.acquired == 0 && l.deadlockCount == 0) {
            return;
        }
        g.writeObjectFieldStart("L");
        number("w", l.waits);
        number("a", l.acquired);
        number("d", l.deadlockCount);
        g.writeNumberField("mx", l.maxWaitMs);
        counts("h", l.hours.counts);
        List<LockTally.Event> longest = new java.util.ArrayList<>(l.longest);
        longest.sort(LockTally.LEAST_FIRST);
        events("lw", longest);
        events("dl", List.copyOf(l.deadlocks));
        g.writeEndObject();
    }

    private void events(String name, List<LockTally.Event> events) throws IOException {
        if (events.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart(name);
        for (LockTally.Event e : events) {
            g.writeStartObject();
            g.writeNumberField("a", e.at);
            text("i", e.instance);
            if (e.pid != null) {
                g.writeNumberField("p", e.pid);
            }
            g.writeStringField("k", e.kind);
            if (e.waitMs != null) {
                g.writeNumberField("w", e.waitMs);
            }
            text("m", e.message);
            text("dt", e.detail);
            text("st", e.statement);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private void tempFiles(TempFileTally t) throws IOException {
        if (t.count == 0) {
            return;
        }
        g.writeObjectFieldStart("T");
        number("n", t.count);
        number("b", t.totalBytes);
        number("mx", t.maxBytes);
        counts("h", t.hours.counts);
        folded("gf", t.groups.folded());
        g.writeArrayFieldStart("g");
        for (TopK.Slot<String, TempFileTally.Files> slot : sorted(t.groups.slots())) {
            TempFileTally.Files f = slot.value();
            g.writeStartObject();
            g.writeStringField("k", slot.key());
            text("t", f.text);
            number("n", f.count);
            number("b", f.totalBytes);
            number("mx", f.maxBytes);
            text("s", f.sample);
            number("u", slot.uncounted());
            flag("p", slot.partial());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void checkpoints(CheckpointTally c) throws IOException {
        if (c.started == 0 && c.completed == 0) {
            return;
        }
        g.writeObjectFieldStart("C");
        number("s", c.started);
        number("n", c.completed);
        names("c", c.causes);
        number("b", c.buffers);
        number("w", c.writeMs);
        number("y", c.syncMs);
        number("t", c.totalMs);
        counts("h", c.hours.counts);
        if (c.worst != null) {
            Checkpoints.Run w = c.worst;
            g.writeObjectFieldStart("x");
            g.writeNumberField("a", w.at().toEpochMilli());
            text("i", w.instance());
            g.writeNumberField("b", w.buffers());
            g.writeNumberField("w", w.writeS());
            g.writeNumberField("y", w.syncS());
            g.writeNumberField("t", w.totalS());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private void vacuums(VacuumTally v) throws IOException {
        if (v.vacuums == 0 && v.analyzes == 0) {
            return;
        }
        g.writeObjectFieldStart("V");
        number("v", v.vacuums);
        number("a", v.analyzes);
        counts("h", v.hours.counts);
        folded("gf", v.tables.folded());
        g.writeArrayFieldStart("g");
        for (TopK.Slot<String, VacuumTally.Runs> slot : sorted(v.tables.slots())) {
            VacuumTally.Runs r = slot.value();
            g.writeStartObject();
            g.writeStringField("k", slot.key());
            number("v", r.vacuums);
            number("a", r.analyzes);
            number("p", r.pagesRemoved);
            number("t", r.tuplesRemoved);
            number("e", r.elapsedMillis);
            g.writeNumberField("x", r.maxElapsedS);
            number("u", slot.uncounted());
            flag("pt", slot.partial());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void connections(ConnectionTally c) throws IOException {
        if (c.received == 0 && c.authorized == 0 && c.authFailures == 0 && c.refused == 0 && c.sessions == 0) {
            return;
        }
        g.writeObjectFieldStart("N");
        number("r", c.received);
        number("a", c.authorized);
        number("f", c.authFailures);
        number("x", c.refused);
        number("s", c.sessions);
        number("us", c.sessionMicros);
        g.writeNumberField("mx", c.maxSessionMs);
        counts("h", c.hours.counts);
        counts("m", c.minutes.counts);
        parties("u", c.users);
        parties("d", c.databases);
        parties("c", c.clients);
        g.writeEndObject();
    }

    private void parties(String name, TopK<String, ConnectionTally.Party> table) throws IOException {
        folded(name + "f", table.folded());
        g.writeArrayFieldStart(name);
        for (TopK.Slot<String, ConnectionTally.Party> slot : sorted(table.slots())) {
            ConnectionTally.Party p = slot.value();
            g.writeStartObject();
            g.writeStringField("k", slot.key());
            number("c", p.connections);
            number("f", p.authFailures);
            number("s", p.sessions);
            number("us", p.sessionMicros);
            g.writeNumberField("mx", p.maxSessionMs);
            number("u", slot.uncounted());
            flag("p", slot.partial());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** Slots by key: the same state always makes the same bytes. */
    private static <V extends TopK.Group<V>> List<TopK.Slot<String, V>> sorted(
            java.util.Collection<TopK.Slot<String, V>> slots) {
        List<TopK.Slot<String, V>> list = new java.util.ArrayList<>(slots);
        list.sort(java.util.Comparator.comparing(TopK.Slot::key));
        return list;
    }

    /** A count map as [key, count, key, count...] by key (hours, minutes). */
    private void counts(String name, Map<Long, long[]> counts) throws IOException {
        if (counts.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart(name);
        for (Map.Entry<Long, long[]> e : counts.entrySet()) {
            g.writeNumber(e.getKey());
            g.writeNumber(e.getValue()[0]);
        }
        g.writeEndArray();
    }

    private void names(String name, Map<String, long[]> counts) throws IOException {
        if (counts.isEmpty()) {
            return;
        }
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, long[]> e : new java.util.TreeMap<>(counts).entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue()[0]);
        }
        g.writeEndObject();
    }

    private void folded(String name, Folded f) throws IOException {
        if (f.groups() > 0 || f.entries() > 0) {
            g.writeArrayFieldStart(name);
            g.writeNumber(f.groups());
            g.writeNumber(f.entries());
            g.writeEndArray();
        }
    }

    private void strings(String name, List<String> list) throws IOException {
        if (list.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart(name);
        for (String s : list) {
            g.writeString(s);
        }
        g.writeEndArray();
    }

    private void number(String name, long n) throws IOException {
        if (n != 0) {
            g.writeNumberField(name, n);
        }
    }

    private void flag(String name, boolean b) throws IOException {
        if (b) {
            g.writeBooleanField(name, true);
        }
    }

    private void text(String name, String s) throws IOException {
        if (s != null) {
            g.writeStringField(name, s);
        }
    }
}
