package io.pglogs.report;

import java.util.Arrays;

/**
 * A small mergeable sketch of positive values (durations) answering quantiles within a relative accuracy, after
 * DDSketch (Masson, Rim, Lee, VLDB 2019): a value v falls in bucket ceil(log_gamma(v)) with gamma = (1+a)/(1-a), so
 * every value of a bucket is within a of the bucket's middle. Buckets are counts, so two sketches merge by adding
 * them, exactly: the per-minute summaries of issue 26 merge into the same answer as one sketch of all the values.
 * Durations from 1 µs to a day at 1 % need about 1,400 buckets at most, far fewer for one statement.
 */
public final class QuantileSketch {
    /** Relative accuracy of every quantile. */
    public static final double ACCURACY = 0.01;
    private static final double GAMMA = (1 + ACCURACY) / (1 - ACCURACY);
    private static final double LOG_GAMMA = Math.log(GAMMA);
    /** Values at or below this count as zero (PostgreSQL prints durations to the microsecond). */
    static final double MIN_VALUE = 1e-6;

    long[] counts = new long[0];
    int offset;
    long zeros;
    long total;

    public void add(double value) {
        if (value <= MIN_VALUE) {
            zeros++;
            total++;
            return;
        }
        int index = (int) Math.ceil(Math.log(value) / LOG_GAMMA);
        grow(index, index);
        counts[index - offset]++;
        total++;
    }

    /** Adds every value {@code other} holds. */
    public void merge(QuantileSketch other) {
        if (other.counts.length > 0) {
            grow(other.offset, other.offset + other.counts.length - 1);
            for (int i = 0; i < other.counts.length; i++) {
                counts[other.offset + i - offset] += other.counts[i];
            }
        }
        zeros += other.zeros;
        total += other.total;
    }

    /** Whether {@code o} holds the same values (bucket for bucket). */
    boolean sameAs(QuantileSketch o) {
        if (zeros != o.zeros || total != o.total) {
            return false;
        }
        for (int i = Math.min(offset, o.offset); i <= Math.max(offset + counts.length, o.offset + o.counts.length);
             i++) {
            if (bucket(i) != o.bucket(i)) {
                return false;
            }
        }
        return true;
    }

    private long bucket(int index) {
        int at = index - offset;
        return at >= 0 && at < counts.length ? counts[at] : 0;
    }

    public long count() {
        return total;
    }

    /** The q-quantile (0..1) of the values added, within {@link #ACCURACY}; 0 when none. */
    public double quantile(double q) {
        if (total == 0) {
            return 0;
        }
        // Nearest rank (as pgBadger and most percentile tables take it): the ceil(q*n)-th smallest value, 0-based
        // here; of 2 runs the p95 is the slower, of 10 the 10th, never one interpolated below it.
        long rank = Math.max(0, (long) Math.ceil(q * total) - 1);
        if (rank < zeros) {
            return 0;
        }
        long seen = zeros;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen > rank) {
                return 2 * Math.pow(GAMMA, i + offset) / (1 + GAMMA);
            }
        }
        throw new IllegalStateException("the counts add up to less than their total");
    }

    private void grow(int low, int high) {
        if (counts.length == 0) {
            counts = new long[high - low + 1];
            offset = low;
            return;
        }
        int newLow = Math.min(low, offset);
        int newHigh = Math.max(high, offset + counts.length - 1);
        if (newLow == offset && newHigh == offset + counts.length - 1) {
            return;
        }
        long[] grown = new long[newHigh - newLow + 1];
        System.arraycopy(counts, 0, grown, offset - newLow, counts.length);
        counts = grown;
        offset = newLow;
    }

    /** The buckets in use (for tests and for the size of a summary). */
    int buckets() {
        return (int) Arrays.stream(counts).filter(c -> c > 0).count() + (zeros > 0 ? 1 : 0);
    }
}
