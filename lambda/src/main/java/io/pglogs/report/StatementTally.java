package io.pglogs.report;

import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.forwarder.parse.EntryKind;
import io.pglogs.forwarder.parse.StatementFingerprint;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The Statements section as entries come: totals exact; groups in three bounded tables, one per ranking, each fed
 * every run of the groups it holds: by count (Space-Saving counting runs), by total time (Space-Saving weighted by
 * duration, so a long statement stays however few its runs) and by slowest run (exact top-N, {@link SlowestGroups}).
 */
final class StatementTally {
    /** What one fingerprint accumulates; mergeable (issue 26's summaries). */
    static final class Runs implements TopK.Group<Runs> {
        long count;
        long timed;
        /** Microseconds: PostgreSQL prints durations to the microsecond, so sums in them are exact. */
        long totalMicros;
        double maxMs = -1;
        double minMs = Double.MAX_VALUE;
        final QuantileSketch sketch = new QuantileSketch();
        final Names users = new Names();
        final Names databases = new Names();
        String sample;
        long sampleAt;
        String instance;

        @Override
        public long count() {
            return count;
        }

        /** @param message the entry's message: its statement is read only when it becomes the sample */
        void add(Double durationMs, String user, String database, String message, long at, String instance) {
            count++;
            users.add(user);
            databases.add(database);
            double d = durationMs == null ? -1 : durationMs;
            if (durationMs != null) {
                timed++;
                totalMicros += Rows.micros(d);
                sketch.add(d);
                minMs = Math.min(minMs, d);
            }
            if (sample == null || d > maxMs) {
                maxMs = Math.max(maxMs, d);
                sample = Rows.statementText(message);
                sampleAt = at;
                this.instance = instance;
            }
        }

        @Override
        public void merge(Runs other) {
            count += other.count;
            timed += other.timed;
            totalMicros += other.totalMicros;
            sketch.merge(other.sketch);
            users.merge(other.users);
            databases.merge(other.databases);
            // The slowest run's, the earliest of equals (pieces of several instances may come out of time order).
            if (other.sample != null && (sample == null || other.maxMs > maxMs
                    || other.maxMs == maxMs && other.sampleAt < sampleAt)) {
                sample = other.sample;
                sampleAt = other.sampleAt;
                instance = other.instance;
            }
            maxMs = Math.max(maxMs, other.maxMs);
            minMs = Math.min(minMs, other.minMs);
        }

        /** A copy: one table's group must not change with another's. */
        Runs copy() {
            Runs r = new Runs();
            r.merge(this);
            return r;
        }

        /** Whether {@code o} counted the same runs (a summary then stores one of them). */
        boolean sameAs(Runs o) {
            return count == o.count && timed == o.timed && totalMicros == o.totalMicros
                    && Double.compare(maxMs, o.maxMs) == 0 && Double.compare(minMs, o.minMs) == 0
                    && sampleAt == o.sampleAt && java.util.Objects.equals(sample, o.sample)
                    && java.util.Objects.equals(instance, o.instance) && users.list().equals(o.users.list())
                    && databases.list().equals(o.databases.list()) && sketch.sameAs(o.sketch);
        }

        /** The sketch's answer within the values seen: its bucket's middle may lie past the slowest run. */
        double quantile(double q) {
            return timed == 0 ? 0 : Math.max(minMs, Math.min(maxMs, sketch.quantile(q)));
        }
    }

    final TopK<String, Runs> groups;
    final TopK<String, Runs> byTime;
    final SlowestGroups<Runs> slowest;
    private final StatementFingerprint fingerprints = new StatementFingerprint();
    final HourCounts hours = new HourCounts();
    long count;
    long totalMicros;
    long logged;
    long autoExplain;
    long withoutText;
    long parseBind;
    long parseBindMicros;

    StatementTally(int capacity) {
        groups = new TopK<>(capacity);
        byTime = new TopK<>(capacity, r -> r.totalMicros);
        slowest = new SlowestGroups<>(capacity);
    }

    void add(LogRow row, String kind, long at) {
        String message = row.message();
        Double duration = row.attributes().get(ItemContract.DURATION_MS) instanceof Number n ? n.doubleValue() : null;
        if (EntryKind.STATEMENT_DURATION.equals(kind) && Rows.isParseOrBind(message)) {
            parseBind++;
            parseBindMicros += duration == null ? 0 : Rows.micros(duration);
            return;
        }
        count++;
        hours.add(at);
        totalMicros += duration == null ? 0 : Rows.micros(duration);
        if (EntryKind.STATEMENT_LOG.equals(kind)) {
            logged++;
        } else if (EntryKind.AUTO_EXPLAIN.equals(kind)) {
            autoExplain++;
        }
        String fingerprint = row.text(ItemContract.FINGERPRINT);
        if (fingerprint == null) {
            if (EntryKind.STATEMENT_DURATION.equals(kind)) {
                withoutText++;
            }
            return;
        }
        String user = row.text(ItemContract.USER);
        String database = row.text(ItemContract.DATABASE);
        TopK.Slot<String, Runs> slot = groups.slot(fingerprint, f -> new Runs());
        slot.value().add(duration, user, database, message, at, row.instance());
        groups.added(slot);
        if (duration == null) {
            // Weightless for time and slowness; added only to the groups those tables already hold.
            Runs held = byTime.held(fingerprint);
            if (held != null) {
                held.add(null, user, database, message, at, row.instance());
            }
            held = slowest.held(fingerprint);
            if (held != null) {
                held.add(null, user, database, message, at, row.instance());
            }
            return;
        }
        TopK.Slot<String, Runs> timed = byTime.slot(fingerprint, f -> new Runs());
        timed.value().add(duration, user, database, message, at, row.instance());
        byTime.added(timed);
        Runs slow = slowest.offer(fingerprint, duration, Runs::new);
        if (slow != null) {
            slow.add(duration, user, database, message, at, row.instance());
        }
    }

    /**
     * Adds what {@code o} counted. The tables by time and by slowest run hold a group from its first timed run on
     * (runs without a duration join only groups already held): a group held here before takes every run {@code o}
     * counted of it (its group by count), one not held joins with what {@code o}'s own table holds. With no table
     * folded this is exactly what adding {@code o}'s entries here gives.
     */
    void merge(StatementTally o) {
        count += o.count;
        totalMicros += o.totalMicros;
        logged += o.logged;
        autoExplain += o.autoExplain;
        withoutText += o.withoutText;
        parseBind += o.parseBind;
        parseBindMicros += o.parseBindMicros;
        hours.merge(o.hours);
        java.util.Set<String> keys = new java.util.LinkedHashSet<>();
        o.groups.slots().forEach(s -> keys.add(s.key()));
        o.byTime.slots().forEach(s -> keys.add(s.key()));
        java.util.List<TopK.Slot<String, Runs>> newInTime = new java.util.ArrayList<>();
        java.util.List<String> newInSlowest = new java.util.ArrayList<>();
        java.util.Map<String, TopK.Slot<String, Runs>> theirTimed = new java.util.HashMap<>();
        o.byTime.slots().forEach(s -> theirTimed.put(s.key(), s));
        for (String key : keys) {
            Runs all = o.groups.held(key);
            TopK.Slot<String, Runs> timed = theirTimed.get(key);
            if (byTime.held(key) != null) {
                Runs runs = all != null ? all : timed.value();
                byTime.mergeGroup(key, runs.copy(), timed == null ? 0 : timed.uncounted(),
                        timed != null && timed.partial());
            } else if (timed != null) {
                newInTime.add(timed);
            }
            if (slowest.held(key) != null) {
                Runs runs = all != null ? all : o.slowest.held(key);
                if (runs != null) {
                    slowest.merge(key, runs.maxMs, runs.copy(), false);
                }
            } else if (o.slowest.held(key) != null) {
                newInSlowest.add(key);
            }
        }
        for (TopK.Slot<String, Runs> timed : newInTime) {
            byTime.mergeGroup(timed.key(), timed.value().copy(), timed.uncounted(), timed.partial());
        }
        for (String key : newInSlowest) {
            slowest.merge(key, o.slowest.max(key), o.slowest.held(key).copy(), o.slowest.partial(key));
        }
        if (o.slowest.evicted()) {
            slowest.evicted(true);
        }
        groups.merge(o.groups);
        byTime.addFolded(o.byTime.folded().groups(), o.byTime.folded().entries());
    }

    Statements build(int top) {
        return new Statements(count, totalMicros / 1000.0, logged, autoExplain, withoutText, parseBind,
                parseBindMicros / 1000.0,
                top(byTime, top, Comparator.comparingLong(s -> -s.value().totalMicros)),
                slowest.top(top).stream().map(e -> group(e.getKey(), exact(e.getKey(), e.getValue()), 0,
                        slowest.partial(e.getKey()), 0)).toList(),
                top(groups, top, Comparator.comparingLong(s -> -s.value().count)),
                groups.folded(), hours.hourly());
    }

    private List<StatementGroup> top(TopK<String, Runs> table, int n, Comparator<TopK.Slot<String, Runs>> order) {
        boolean weighted = table == byTime;
        return table.top(n, order.thenComparing(TopK.Slot::key)).stream()
                .map(s -> group(s.key(), weighted ? exact(s.key(), s.value()) : s.value(),
                        weighted ? 0 : s.uncounted(), s.partial(),
                        weighted ? s.uncounted() / 1000.0 : 0))
                .toList();
    }

    /**
     * What to show of a group the tables by time or slowness rank: the table by count's group when that one counted
     * every run (never made room for another). Those tables take runs without a duration only once they hold the
     * group, so on their own they would miss the runs logged before its first timed one: how many depends on which
     * came first, which pieces merged out of time order (summaries of several instances) cannot say.
     */
    private Runs exact(String fingerprint, Runs own) {
        TopK.Slot<String, Runs> all = groups.slot(fingerprint);
        return all != null && !all.partial() ? all.value() : own;
    }

    private StatementGroup group(String fingerprint, Runs r, long uncounted, boolean partial, double uncountedMs) {
        // The text is the sample's: every statement of a fingerprint normalises alike, so only those shown are.
        String text = fingerprints.normalise(r.sample, 0, r.sample.length());
        return new StatementGroup(fingerprint, text, r.count, uncounted, partial, uncountedMs, r.timed,
                r.totalMicros / 1000.0, r.timed == 0 ? 0 : r.totalMicros / 1000.0 / r.timed, r.quantile(0.5),
                r.quantile(0.95), Math.max(0, r.maxMs), r.users.list(), r.databases.list(), r.sample,
                Instant.ofEpochMilli(r.sampleAt), r.instance);
    }
}
