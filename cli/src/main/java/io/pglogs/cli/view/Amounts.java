package io.pglogs.cli.view;

import java.util.Locale;

/** Numbers as people read them in a terminal: 12,345; 1.23 s; 2h 05m; 1.5 GiB. */
final class Amounts {
    private Amounts() {
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String ms(double ms) {
        if (ms < 1) {
            return String.format(Locale.ROOT, "%.3f ms", ms);
        }
        if (ms < 1_000) {
            return String.format(Locale.ROOT, "%.1f ms", ms);
        }
        double s = ms / 1000;
        if (s < 60) {
            return String.format(Locale.ROOT, "%.2f s", s);
        }
        long whole = Math.round(s);
        if (whole < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", whole / 60, whole % 60);
        }
        if (whole < 86_400) {
            return String.format(Locale.ROOT, "%dh %02dm", whole / 3600, whole / 60 % 60);
        }
        return String.format(Locale.ROOT, "%dd %02dh", whole / 86_400, whole / 3600 % 24);
    }

    static String seconds(double s) {
        return ms(s * 1000);
    }

    static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = b;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
