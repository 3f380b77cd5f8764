package io.pglogs.report;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QuantileSketchTest {
    /** Durations spread over six orders of magnitude, as a statement's runs can be. */
    private static double[] logNormal(long seed, int n) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = Math.exp(r.nextGaussian() * 3 + 2);
        }
        return v;
    }

    private static double exact(double[] sorted, double q) {
        return sorted[(int) Math.floor(q * (sorted.length - 1))];
    }

    /** Nearest rank: of 2 runs the p95 is the slower one, of 10 the slowest (ceil(0.95*10) = 10th), p50 the 5th. */
    @Test
    void quantilesTakeTheNearestRank() {
        QuantileSketch two = new QuantileSketch();
        two.add(10);
        two.add(1000);
        assertEquals(1000, two.quantile(0.95), 1000 * QuantileSketch.ACCURACY);
        QuantileSketch ten = new QuantileSketch();
        for (int i = 1; i <= 10; i++) {
            ten.add(i * 100);
        }
        assertEquals(1000, ten.quantile(0.95), 1000 * QuantileSketch.ACCURACY);
        assertEquals(500, ten.quantile(0.5), 500 * QuantileSketch.ACCURACY);
    }

    @Test
    void everyQuantileIsWithinOnePercentOfTheTrueValue() {
        double[] values = logNormal(1, 100_000);
        QuantileSketch sketch = new QuantileSketch();
        for (double v : values) {
            sketch.add(v);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        for (double q : new double[] {0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1}) {
            double truth = exact(sorted, q);
            double got = sketch.quantile(q);
            assertTrue(Math.abs(got - truth) <= QuantileSketch.ACCURACY * truth * 1.0000001,
                    () -> "q=" + q + ": " + got + " vs " + truth);
        }
        assertEquals(100_000, sketch.count());
        assertTrue(sketch.buckets() < 2_000, "a few hundred buckets, not one per value: " + sketch.buckets());
    }

    /** Issue 26 sums per-minute sketches: the merge must answer exactly as one sketch of every value. */
    @Test
    void mergedSketchesAnswerAsOneSketchOfAllTheValues() {
        double[] a = logNormal(2, 5_000);
        double[] b = logNormal(3, 7_000);
        QuantileSketch one = new QuantileSketch();
        QuantileSketch left = new QuantileSketch();
        QuantileSketch right = new QuantileSketch();
        for (double v : a) {
            one.add(v);
            left.add(v);
        }
        for (double v : b) {
            one.add(v * 1000);
            right.add(v * 1000);
        }
        left.merge(right);
        for (double q = 0; q <= 1; q += 0.05) {
            assertEquals(one.quantile(q), left.quantile(q), "q=" + q);
        }
        assertEquals(one.count(), left.count());
    }

    @Test
    void zeroDurationsAndAnEmptySketch() {
        QuantileSketch sketch = new QuantileSketch();
        assertEquals(0, sketch.quantile(0.5));
        sketch.add(0);
        sketch.add(0);
        sketch.add(5);
        assertEquals(0, sketch.quantile(0.5));
        assertEquals(5, sketch.quantile(1), 5 * QuantileSketch.ACCURACY);
    }
}
