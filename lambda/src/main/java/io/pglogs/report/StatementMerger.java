package io.pglogs.report;

import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Statements section of a summary ({@code S}) read into a builder's {@link StatementTally}, as
 * {@link StatementTally#merge} adds a decoded one: a group's runs are copied only when two tables keep them.
 */
final class StatementMerger extends SummaryFields {
    StatementMerger(SummaryJson p) {
        super(p);
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

    void statements(StatementTally s) throws IOException {
        start(JsonToken.START_OBJECT);
        List<Newcomer> newInTime = new ArrayList<>();
        List<Newcomer> newInSlowest = new ArrayList<>();
        List<Newcomer> byCount = new ArrayList<>();
        // Set after the newcomers join, as merge sets it: a group joining a table that evicted is partial.
        boolean evicted = false;
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
                case "se" -> evicted = t == JsonToken.VALUE_TRUE;
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
        if (evicted) {
            s.slowest.evicted(true);
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
}
