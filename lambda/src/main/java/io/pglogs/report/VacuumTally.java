package io.pglogs.report;

import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.forwarder.parse.EntryKind;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Vacuum and analyze section, per table in a bounded {@link TopK}. */
final class VacuumTally {
    private static final Pattern PAGES = Pattern.compile("pages: (\\d+) removed");
    private static final Pattern TUPLES = Pattern.compile("tuples: (\\d+) removed");
    private static final Pattern ELAPSED = Pattern.compile("elapsed: ([0-9.]+) s");

    static final class Runs implements TopK.Group<Runs> {
        long vacuums;
        long analyzes;
        long pagesRemoved;
        long tuplesRemoved;
        /** Thousandths of seconds: sums in them do not depend on the order pieces are merged in. */
        long elapsedMillis;
        double maxElapsedS;

        @Override
        public long count() {
            return vacuums + analyzes;
        }

        @Override
        public void merge(Runs o) {
            vacuums += o.vacuums;
            analyzes += o.analyzes;
            pagesRemoved += o.pagesRemoved;
            tuplesRemoved += o.tuplesRemoved;
            elapsedMillis += o.elapsedMillis;
            maxElapsedS = Math.max(maxElapsedS, o.maxElapsedS);
        }
    }

    final TopK<String, Runs> tables;
    final HourCounts hours = new HourCounts();
    long vacuums;
    long analyzes;

    VacuumTally(int capacity) {
        tables = new TopK<>(capacity);
    }

    void add(LogRow row, String kind, long at) {
        hours.add(at);
        String relation = row.text(ItemContract.RELATION);
        String message = row.message();
        TopK.Slot<String, Runs> slot = tables.slot(relation == null ? "" : relation, k -> new Runs());
        Runs r = slot.value();
        if (EntryKind.AUTOVACUUM.equals(kind)) {
            vacuums++;
            r.vacuums++;
            r.pagesRemoved += number(PAGES, message);
            r.tuplesRemoved += number(TUPLES, message);
        } else {
            analyzes++;
            r.analyzes++;
        }
        Matcher elapsed = ELAPSED.matcher(message);
        if (elapsed.find()) {
            double s = Double.parseDouble(elapsed.group(1));
            r.elapsedMillis += Rows.micros(s);
            r.maxElapsedS = Math.max(r.maxElapsedS, s);
        }
        tables.added(slot);
    }

    private static long number(Pattern p, String message) {
        Matcher m = p.matcher(message);
        if (!m.find() || m.group(1).length() > 18) {
            return 0;
        }
        return Long.parseLong(m.group(1));
    }

    void merge(VacuumTally o) {
        vacuums += o.vacuums;
        analyzes += o.analyzes;
        hours.merge(o.hours);
        tables.merge(o.tables);
    }

    Vacuums build(int top) {
        return new Vacuums(vacuums, analyzes, tables.top(top, Comparator.<TopK.Slot<String, Runs>>comparingLong(
                        s -> -s.value().count()).thenComparing(TopK.Slot::key)).stream()
                .map(s -> new Vacuums.Table(s.key(), s.value().vacuums, s.value().analyzes, s.value().pagesRemoved,
                        s.value().tuplesRemoved, s.value().elapsedMillis / 1000.0, s.value().maxElapsedS)).toList(),
                tables.folded(), hours.hourly());
    }
}
