package io.pglogs.cli.term;

import java.util.Locale;

/** Byte counts for people: 512 B, 1.5 KiB, 3.2 GiB. */
public final class Sizes {
    private Sizes() {
    }

    /** "?" when unknown. */
    public static String bytes(Long n) {
        if (n == null) {
            return "?";
        }
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
