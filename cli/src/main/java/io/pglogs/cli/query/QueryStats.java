package io.pglogs.cli.query;

import java.util.concurrent.atomic.AtomicLong;

/** What DynamoDB read (ScannedCount) and returned (Count), summed over every Query of a read. */
public final class QueryStats {
    private final AtomicLong scanned = new AtomicLong();
    private final AtomicLong returned = new AtomicLong();
    private final AtomicLong queries = new AtomicLong();

    void add(Integer scannedCount, Integer count) {
        scanned.addAndGet(scannedCount == null ? 0 : scannedCount);
        returned.addAndGet(count == null ? 0 : count);
        queries.incrementAndGet();
    }

    /** The figures of several reads together. */
    public static QueryStats sum(QueryStats... parts) {
        QueryStats total = new QueryStats();
        for (QueryStats p : parts) {
            total.scanned.addAndGet(p.scanned());
            total.returned.addAndGet(p.returned());
            total.queries.addAndGet(p.queries());
        }
        return total;
    }

    public long scanned() {
        return scanned.get();
    }

    public long returned() {
        return returned.get();
    }

    public long queries() {
        return queries.get();
    }
}
