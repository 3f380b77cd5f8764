package io.pglogs.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Events per UTC hour (or any fixed bucket), mergeable: a map from bucket number to count. */
final class HourCounts {
    static final long HOUR = 3_600_000L;
    private final long bucketMillis;
    final TreeMap<Long, long[]> counts = new TreeMap<>();

    HourCounts() {
        this(HOUR);
    }

    HourCounts(long bucketMillis) {
        this.bucketMillis = bucketMillis;
    }

    /** The bucket last counted into: entries come in time order, so nearly every one falls in it. */
    private long lastBucket = Long.MIN_VALUE;
    private long[] last;

    void add(long epochMillis) {
        long bucket = Math.floorDiv(epochMillis, bucketMillis);
        if (bucket != lastBucket) {
            last = counts.computeIfAbsent(bucket, k -> new long[1]);
            lastBucket = bucket;
        }
        last[0]++;
    }

    void merge(HourCounts other) {
        other.counts.forEach((k, v) -> counts.computeIfAbsent(k, x -> new long[1])[0] += v[0]);
    }

    Hourly hourly() {
        List<Hourly.Count> hours = new ArrayList<>();
        Hourly.Count busiest = null;
        for (Map.Entry<Long, long[]> e : counts.entrySet()) {
            Hourly.Count c = new Hourly.Count(Instant.ofEpochMilli(e.getKey() * bucketMillis), e.getValue()[0]);
            hours.add(c);
            if (busiest == null || c.count() > busiest.count()) {
                busiest = c;
            }
        }
        return new Hourly(List.copyOf(hours), busiest);
    }
}
