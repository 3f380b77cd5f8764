package io.pglogs.cli.view;

import io.pglogs.cli.status.LambdaRuntimes;
import io.pglogs.cli.status.StatusReport;

import io.pglogs.cli.term.Printable;
import io.pglogs.cli.term.Sizes;
import io.pglogs.cli.term.Style;
import java.io.PrintWriter;
import java.util.Locale;

/** Renders a {@link StatusReport} for people. */
public final class StatusText {
    private final Style style;

    public StatusText(Style style) {
        this.style = style;
    }

    public void print(StatusReport r, PrintWriter out) {
        out.println(style.header("pglogs " + r.environment() + " in " + r.region()));
        out.println();
        StatusReport.Table t = r.table();
        if (t.exists()) {
            row(out, "table " + t.name(), t.status() + ", ~" + count(t.approximateItemCount()) + " items, "
                    + Sizes.bytes(t.approximateBytes()) + ", " + ("PAY_PER_REQUEST".equals(t.billingMode())
                    ? "on demand" : "provisioned"));
            row(out, "  TTL on expires_at", flag(t.ttlEnabled(), "enabled", "NOT enabled", true));
            row(out, "  point-in-time recovery", flag(t.pointInTimeRecovery(), "on", "off", isProd(r)));
            row(out, "  deletion protection", flag(t.deletionProtection(), "on", "off", isProd(r)));
            row(out, "  shards", t.shards() == null ? style.warn("not published") : t.shards().toString());
            if (t.storage() != null) {
                row(out, "  storage", storage(t.storage()));
            }
        } else {
            row(out, "table " + t.name(), style.error("missing"));
        }
        StatusReport.Function f = r.function();
        if (f.exists()) {
            row(out, "function " + f.name(), ("Active".equals(f.state()) ? style.ok(f.state()) : style.warn(
                    String.valueOf(f.state()))) + ", " + runtime(f) + ", " + f.memoryMb() + " MB, " + f.architecture()
                    + ", modified " + f.lastModified());
            row(out, "  failed payloads go to", f.onFailureDestination() == null ? style.error("nowhere")
                    : Printable.line(f.onFailureDestination()));
        } else {
            row(out, "function " + f.name(), style.warn("not deployed"));
        }
        if (f.failedPayloads() != null) {
            row(out, "  failed payloads waiting", f.failedPayloads() == 0 ? style.ok("0")
                    : style.error(f.failedPayloads() + " (pglogs failed show " + r.environment() + ")"));
        }
        for (var s : r.settings()) {
            String value = "table tag " + (s.table() == null ? "not published" : Printable.line(s.table()))
                    + ", function " + (s.function() == null ? "not set" : Printable.line(s.function()));
            row(out, "writes with " + s.name(), s.disagree() ? style.error(value + ": they disagree") : value);
        }
        out.println();
        out.println(style.header(String.format("%-56s %-16s %10s  %s", "log group", "retention", "stored",
                "subscribed")));
        for (StatusReport.LogGroup g : r.logGroups()) {
            String retention = !g.exists() ? style.error(String.format("%-16s", "missing"))
                    : g.retentionDays() == null ? style.warn(String.format("%-16s", "never expires"))
                    : String.format("%-16s", g.retentionDays() + " days");
            String subscribed = "lambda".equals(g.kind()) ? style.dim("(forwarder's own)")
                    : g.subscribed() ? style.ok("yes")
                    : g.configured() ? style.error("no") : style.dim("no (not configured)");
            out.println(String.format("%-56s ", Printable.line(g.name())) + retention + " "
                    + String.format("%10s", g.exists() ? Sizes.bytes(g.storedBytes()) : "-") + "  " + subscribed);
        }
        out.println();
        r.notes().forEach(n -> out.println(style.dim(Printable.line(n))));
        if (r.healthy()) {
            out.println(style.ok("healthy"));
        } else {
            out.println(style.error(r.problems().size() + (r.problems().size() == 1 ? " problem:" : " problems:")));
            r.problems().forEach(p -> out.println("  - " + Printable.line(p)));
        }
    }

    /** "compact: ~18.3 entries per item (newest 100), ~990 bytes per item, ~54 bytes per entry". */
    static String storage(StatusReport.Storage s) {
        StringBuilder b = new StringBuilder(s.format()).append(": ");
        if (s.entriesPerItem() == null) {
            b.append("no recent items to count entries per item");
        } else if (s.sampledItems() == null) {
            b.append(String.format(Locale.ROOT, "%.0f entry per item", s.entriesPerItem()));
        } else {
            b.append(String.format(Locale.ROOT, "~%.1f entries per item (newest %d)", s.entriesPerItem(),
                    s.sampledItems()));
        }
        if (s.bytesPerItem() != null) {
            b.append(String.format(Locale.ROOT, ", ~%,d bytes per item", s.bytesPerItem()));
            if (s.bytesPerEntry() != null) {
                b.append(String.format(Locale.ROOT, ", ~%,.0f bytes per entry", s.bytesPerEntry()));
            }
        }
        return b.toString();
    }

    private String runtime(StatusReport.Function f) {
        String runtime = Printable.line(String.valueOf(f.runtime()));
        if (LambdaRuntimes.Support.ENDED.label().equals(f.runtimeSupport())) {
            return style.error(runtime + " (end of life " + f.runtimeEndOfLife() + ")");
        }
        if (LambdaRuntimes.Support.ENDING.label().equals(f.runtimeSupport())) {
            return style.warn(runtime + " (end of life " + f.runtimeEndOfLife() + ")");
        }
        // Supported: the day that ends is worth knowing long before status starts warning about it.
        return f.runtimeEndOfLife() == null ? runtime : runtime + " (supported until " + f.runtimeEndOfLife() + ")";
    }

    private static boolean isProd(StatusReport r) {
        return "prod".equals(r.environment());
    }

    private String flag(boolean value, String yes, String no, boolean required) {
        return value ? style.ok(yes) : required ? style.error(no) : no;
    }

    private static void row(PrintWriter out, String label, String value) {
        out.println(String.format("%-40s %s", Printable.line(label), value));
    }

    static String count(Long n) {
        return n == null ? "?" : String.format(Locale.ROOT, "%,d", n);
    }
}
