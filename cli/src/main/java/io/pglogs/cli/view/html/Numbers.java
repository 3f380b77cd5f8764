package io.pglogs.cli.view.html;

import java.util.Locale;

/** Numbers as the report shows them: grouped counts, milliseconds and seconds to a fixed precision. */
public final class Numbers {
    private Numbers() {
    }

    /** 1,234,567. */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Milliseconds with up to three decimals, grouped: 1,234.567 ms is written "1,234.567". */
    public static String millis(double ms) {
        return String.format(Locale.ROOT, "%,.3f", ms);
    }

    /** Seconds to the millisecond. */
    public static String seconds(double s) {
        return String.format(Locale.ROOT, "%,.3f", s);
    }

    /** The value a grouped number was written from, for readers of the page (tests) that check it. */
    public static double parse(String shown) {
        return Double.parseDouble(shown.replace(",", "").trim());
    }
}
